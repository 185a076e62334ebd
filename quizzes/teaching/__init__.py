"""What teaching staff do after the class answers: grading, the gradebook, class analysis."""
