"""Bylines, datelines and bios by their shape, in many wordings; and the look-alikes that
must stay body text. Pure: no database."""

from __future__ import annotations

from pathlib import Path

import pytest

from courses.ingest import ingest
from courses.ingest_end import bio_names
from courses.ingest_front import parse_byline, parse_date_line

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "seed" / "article.txt"


@pytest.mark.parametrize(("text", "names"), [
    ("Dr. Natasha Kuhrt is a lecturer in International Peace & Security.", ["Natasha Kuhrt"]),
    ("Jane Doe is the author of The Long Road (2021).", ["Jane Doe"]),
    ("Jane Doe teaches history at Example University.", ["Jane Doe"]),
    ("Kofi Mensah writes about food and migration for The Weekly.", ["Kofi Mensah"]),
    ("Ann Lee covers China for the Example Times.", ["Ann Lee"]),
    ("Jane Doe and John Roe are researchers at the Example Institute.",
     ["Jane Doe", "John Roe"]),
    ("Priya Natarajan, a former planner for Leeds, is a senior fellow at the Institute.",
     ["Priya Natarajan"]),
    ("Owen Fletcher (@owenfletcher) is a reporter based in Cardiff.", ["Owen Fletcher"]),
    ("*Maria de la Cruz is an associate professor of law.*", ["Maria de la Cruz"]),
    ("About the author: Sam Carter has written three books on the sea.", ["Sam Carter"]),
    ("The author is a former ambassador to Chile.", []),
    ("Prof. Li Wei was a visiting scholar at Example College in 2019.", ["Li Wei"]),
])
def test_bios_in_any_wording_name_their_people(text, names):
    assert bio_names(text) == names


@pytest.mark.parametrize("text", [
    "North Korea is a problem that neither side can solve alone.",
    "Harvard University is a member of the Ivy League, founded in 1636.",
    "John Smith writes that the war is already lost, and many agree.",
    "The European Union is a partner that cannot be ignored.",
    "Climate Change is a threat to every coastal town.",
    "This is a lecturer's dream: a quiet room and a patient class.",
])
def test_sentences_that_only_look_like_bios_stay_body(text):
    assert bio_names(text) is None


@pytest.mark.parametrize(("text", "names", "date"), [
    ("By Jane Doe", ["Jane Doe"], ""),
    ("BY JANE DOE AND JOHN ROE", ["Jane Doe", "John Roe"], ""),
    ("By Jane Doe, Staff Writer", ["Jane Doe"], ""),
    ("By Jane Doe in Kyiv", ["Jane Doe"], ""),
    ("Posted on 12 May 2023 by Daniel Reyes", ["Daniel Reyes"], "2023-05-12"),
    ("By Jane Doe | March 4, 2024", ["Jane Doe"], "2024-03-04"),
    ("Jane Doe · 2024-03-04", ["Jane Doe"], "2024-03-04"),
    ("Interview by Tom Baker", ["Tom Baker"], ""),
])
def test_bylines_give_names_and_dates(text, names, date):
    assert parse_byline(text) == (names, date)


@pytest.mark.parametrize("text", [
    "By the end of the year, the river had moved again.",
    "By 2030 most of the coal plants will be closed.",
    "by and large the plan worked",
])
def test_sentences_starting_with_by_are_not_bylines(text):
    assert parse_byline(text) is None


@pytest.mark.parametrize(("text", "date"), [
    ("March 4, 2024", "2024-03-04"),
    ("Published 4 March 2024", "2024-03-04"),
    ("Updated: Monday, 4 March 2024, 09:30 GMT", "2024-03-04"),
    ("2024-03-04", "2024-03-04"),
    ("February 30, 2024", ""),
    ("March 4, 2024 was the day it all changed for the town.", ""),
])
def test_datelines(text, date):
    assert parse_date_line(text) == date


def test_seed_shaped_upload_with_its_own_headline_keeps_it_as_the_title():
    lines = SEED.read_text(encoding="utf-8").splitlines()
    lines.insert(2, "Moscow and Beijing: Partners, Not Allies")
    reading = ingest("\n".join(lines).encode("cp1252"), filename="article.txt")
    seed = ingest(SEED.read_bytes(), filename="article.txt")
    assert reading.title == "Moscow and Beijing: Partners, Not Allies"
    assert (reading.section, reading.dek) == (seed.section, seed.dek)
    assert reading.passages == seed.passages
    assert reading.author_notes == seed.author_notes
    assert reading.authors == ("Natasha Kuhrt", "Marcin Kaczmarski")


def test_a_closing_paragraph_about_a_person_in_the_news_is_not_taken_for_a_bio():
    text = ("Town Hall Votes on the Bridge\n\n"
            + "The council met on Tuesday to decide the future of the old bridge, and the "
              "debate ran late into the night as residents queued to speak.\n\n" * 2
            + "The mayor, Joan Price, said the decision would be announced next week.\n")
    reading = ingest(text.encode())
    assert reading.author_notes == ()
    assert reading.passages[-1].text.startswith("The mayor, Joan Price")
