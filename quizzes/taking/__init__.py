"""What a student does with a quiz: start an attempt, autosave answers, submit, see results."""
