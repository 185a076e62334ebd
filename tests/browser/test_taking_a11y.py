"""What an audit beyond axe found on the quiz and teaching pages, each checked in a browser,
by keyboard where it is about the keyboard."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from courses.models import Annotation
from quizzes.models import Quiz
from tests.browser.test_taking import assert_wcag, log_in, start
from tests.browser.test_taking_pages import _objects, _sign_in

pytestmark = pytest.mark.django_db(transaction=True)

LESSON = "/courses/demo/lessons/sino-russian-relations/"

# Luminance contrast of two "rgb(...)" colours, as WCAG defines it.
CONTRAST = """(pair) => {
  const lum = (css) => {
    const [r, g, b] = css.match(/[\\d.]+/g).slice(0, 3).map(Number).map((v) => {
      v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [a, b] = pair.map(lum).sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""
# The focused element's outline, and the first opaque background behind it.
RING = """() => {
  const el = document.activeElement, style = getComputedStyle(el);
  let node = el.parentElement, bg = 'rgb(255, 255, 255)';
  while (node) {
    const c = getComputedStyle(node).backgroundColor;
    if (c && !c.startsWith('rgba(0, 0, 0, 0)') && !/, 0\\)$/.test(c)) { bg = c; break; }
    node = node.parentElement;
  }
  return {tag: el.tagName + '.' + el.className, style: style.outlineStyle,
          width: parseFloat(style.outlineWidth), color: style.outlineColor, bg};
}"""


def _tab_to(page, selector: str, limit: int = 300) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_every_question_is_a_fieldset_whose_legend_comes_first(page):
    call_command("load_demo")
    quiz = Quiz.objects.get(kind="critical")
    twopart = quiz.questions.get(type="twopart")
    twopart.config["part_b"]["prompt"] = "Which **passages** support Part A?"
    twopart.save()
    log_in(page, "student", "lectio-student")
    start(page, quiz)
    bad = page.evaluate("""() => Array.from(document.querySelectorAll('#attempt-form fieldset'))
        .filter(f => !f.firstElementChild || f.firstElementChild.tagName !== 'LEGEND'
                || !f.firstElementChild.textContent.trim()).map(f => f.outerHTML.slice(0, 80))""")
    assert bad == []
    legend = page.locator("fieldset[data-type=twopart] fieldset legend", has_text="Part B")
    expect(legend).to_have_text("Part B: Which passages support Part A?")
    assert legend.locator("strong").inner_text() == "passages"


def test_moving_an_ordering_item_keeps_focus_and_announces_its_place(page):
    call_command("load_demo")
    log_in(page, "student", "lectio-student")
    start(page, Quiz.objects.get(kind="comprehension"))
    scope = "fieldset[data-type=ordering]"
    items = page.locator(f"{scope} [data-ordering] > li")
    count = items.count()
    first_text = items.first.get_attribute("data-text")
    _tab_to(page, f"{scope} .move-down")
    for _ in range(count - 1):
        page.keyboard.press("Enter")
    # At the bottom its Move down is disabled: focus moved to its Move up, not to <body>.
    focused = page.evaluate("[document.activeElement.className, "
                            "document.activeElement.closest('li').dataset.text]")
    assert "move-up" in focused[0] and focused[1] == first_text
    live = page.locator(f"{scope} [data-ordering-live]")
    expect(live).to_have_text(f"“{first_text}” moved to position {count} of {count}.")
    assert live.get_attribute("aria-live") == "polite"
    page.keyboard.press("Enter")
    expect(live).to_have_text(f"“{first_text}” moved to position {count - 1} of {count}.")


def test_save_answers_takes_focus_to_the_announced_status(page):
    call_command("load_demo")
    log_in(page, "student", "lectio-student")
    start(page, Quiz.objects.get(kind="comprehension"))
    _tab_to(page, "button[value=save]")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    status = page.locator("#main .messages")
    expect(status).to_be_focused()
    expect(status).to_contain_text("Your answers are saved.")
    assert status.get_attribute("role") == "status"


def test_grading_save_and_next_takes_focus_to_the_message_naming_the_next_answer(page,
                                                                                 live_server):
    objects = _objects()
    _sign_in(page, live_server.url, "instructor")
    page.goto(reverse("quizzes:response-grade", args=[objects["essay"].pk]))
    for fieldset in range(page.locator("#grade-form fieldset:has(input[type=radio])").count()):
        radio = page.locator("#grade-form fieldset:has(input[type=radio])").nth(
            fieldset).locator("input[type=radio]").first
        radio.focus()
        page.keyboard.press("Space")
    page.keyboard.press("Control+Enter")
    page.wait_for_url("**/grade/")
    status = page.locator("#main .messages")
    expect(status).to_be_focused()
    expect(status).to_contain_text("Now showing the next answer")
    assert_wcag(page)


@pytest.mark.parametrize("forced", [False, True])
def test_every_focused_control_has_a_ring_of_3_to_1_also_in_forced_colours(page, live_server,
                                                                           forced):
    objects = _objects()
    if forced:
        page.emulate_media(forced_colors="active")
    pages = {"student": (reverse("quizzes:attempt", args=[objects["open"].pk]),
                         reverse("quizzes:attempt-result", args=[objects["closed"].pk])),
             "instructor": (reverse("quizzes:gradebook", args=["demo"]),
                            reverse("quizzes:response-grade", args=[objects["essay"].pk]),
                            reverse("courses:people", args=["demo"]))}
    for who, urls in pages.items():
        page.context.clear_cookies()
        _sign_in(page, live_server.url, who)
        _check_rings(page, urls, forced)


def _check_rings(page, urls, forced: bool) -> None:
    for url in urls:
        page.goto(url)
        seen = set()
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement === document.body"):
                break  # past the last control
            ring = page.evaluate(RING)
            seen.add(ring["tag"].split(".")[0])
            assert ring["style"] != "none" and ring["width"] >= 2, (url, ring)
            if not forced:
                assert page.evaluate(CONTRAST, [ring["color"], ring["bg"]]) >= 3, (url, ring)
        assert {"A", "INPUT", "BUTTON"} & seen


def test_form_errors_are_linked_to_their_fields_and_take_focus(page, live_server):
    objects = _objects()
    # Log-in: a wrong password describes both fields; focus starts on the first.
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("instructor")
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_label("Password").press("Enter")
    page.wait_for_load_state()
    username = page.get_by_label("Username")
    expect(username).to_be_focused()
    assert username.get_attribute("aria-describedby") == "login-errors"
    expect(page.locator("#login-errors")).to_contain_text("correct username and password")
    assert_wcag(page)
    _sign_in(page, live_server.url, "instructor")
    # Accommodations: the refused value comes back, described by its message, focused.
    page.goto(reverse("quizzes:accommodations", args=["demo"]))
    page.get_by_label("Time multiplier (1 to 10)").fill("eleven")
    page.get_by_label("Time multiplier (1 to 10)").press("Enter")
    page.wait_for_load_state()
    field = page.get_by_label("Time multiplier (1 to 10)")
    expect(field).to_be_focused()
    expect(field).to_have_value("eleven")
    message = page.locator(f"#{field.get_attribute('aria-describedby')}")
    expect(message).to_contain_text("Enter the time multiplier as a number")
    assert_wcag(page)
    # Override: a missing reason is described on the reason field, which gets focus.
    page.goto(reverse("quizzes:response-grade", args=[objects["essay"].pk]))
    page.get_by_text("Override the score").click()
    page.get_by_label("New score").fill("1")
    page.get_by_label("New score").press("Enter")
    page.wait_for_load_state()
    reason = page.get_by_label("Reason (kept in the audit log)")
    expect(reason).to_be_focused()
    assert reason.get_attribute("aria-describedby") == "override-error"
    expect(page.locator("#override-error")).to_contain_text("Say why")
    expect(page.get_by_label("New score")).to_have_value("1")
    assert_wcag(page)
    # Roster: sent without a file, the file field is described by its error and focused.
    page.goto(reverse("courses:people", args=["demo"]))
    page.get_by_role("button", name="Check the roster").click()
    page.wait_for_load_state()
    upload = page.locator("input[type=file]")
    expect(upload).to_be_focused()
    assert upload.get_attribute("aria-invalid") == "true"
    described = upload.get_attribute("aria-describedby").split()
    errors = [page.locator(f"#{id_}").inner_text() for id_ in described]
    assert "This field is required." in errors, errors


def test_wide_tables_scroll_in_a_named_focusable_region_at_320px(page, live_server):
    _objects()
    page.set_viewport_size({"width": 320, "height": 640})
    page.emulate_media(reduced_motion="reduce")  # keyboard scrolling is animated otherwise
    _sign_in(page, live_server.url, "instructor")
    page.goto(reverse("courses:people", args=["demo"]))
    region = page.get_by_role("region", name="People in")
    assert region.get_attribute("tabindex") == "0"
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")
    region.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(300)
    assert region.evaluate("el => el.scrollLeft") > 0
    # The role menu shows its whole value.
    cut = page.evaluate("""() => Array.from(document.querySelectorAll('.role-select')).filter(s => {
        const probe = document.createElement('span'), style = getComputedStyle(s);
        probe.style.font = style.font; probe.style.position = 'absolute';
        probe.textContent = s.options[s.selectedIndex].text; document.body.appendChild(probe);
        const room = s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        const fits = probe.getBoundingClientRect().width <= room + 1; probe.remove(); return !fits;
      }).length""")
    assert cut == 0
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_every_wide_table_scrolls_in_its_own_named_region_at_320px(page, live_server):
    objects = _objects()
    page.set_viewport_size({"width": 320, "height": 640})
    _sign_in(page, live_server.url, "instructor")
    pages = [reverse("quizzes:item-analysis", args=[objects["comprehension"].pk]),
             reverse("quizzes:gradebook", args=["demo"]),
             reverse("quizzes:audit-log", args=["demo"]),
             reverse("quizzes:student-report", args=["demo", objects["closed"].user_id])]
    for url in pages:
        page.goto(url)
        tables = page.evaluate("""() => Array.from(document.querySelectorAll('main table'))
          .map(t => { const r = t.closest('.table-scroll');
            return {wide: t.scrollWidth > window.innerWidth, region: !!r
              && r.getAttribute('role') === 'region' && r.tabIndex === 0
              && !!document.getElementById(r.getAttribute('aria-labelledby') || '-'),
              fits: !r || r.getBoundingClientRect().right <= window.innerWidth + 1}; })""")
        assert any(t["wide"] for t in tables), url  # the check below is not vacuous
        for table in tables:
            assert table["region"] or not table["wide"], (url, table)
            assert table["fits"], (url, table)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), url


@pytest.mark.parametrize("forced", [False, True])
def test_charts_are_readable_at_320px_and_in_forced_colours(page, live_server, forced):
    objects = _objects()
    if forced:
        page.emulate_media(forced_colors="active")
    page.set_viewport_size({"width": 320, "height": 640})
    _sign_in(page, live_server.url, "instructor")
    page.goto(reverse("quizzes:item-analysis", args=[objects["comprehension"].pk]))
    charts = page.evaluate("""() => Array.from(document.querySelectorAll('svg.bar-chart'))
      .map(svg => {
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        const texts = Array.from(svg.querySelectorAll('text'));
        const caption = svg.parentElement.querySelector('figcaption');
        const sizes = texts.map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
        return {smallest: Math.min(...sizes),
                colours: texts.every(t => getComputedStyle(t).fill === getComputedStyle(svg).color),
                titleCut: caption.scrollWidth > caption.clientWidth + 1,
                right: svg.getBoundingClientRect().right};
      })""")
    assert charts
    for chart in charts:
        assert chart["smallest"] >= 12, chart
        assert chart["colours"] and not chart["titleCut"] and chart["right"] <= 320, chart


def test_gradebook_cells_are_text_links_without_the_column_header_in_each_name(page,
                                                                              live_server):
    objects = _objects()
    _sign_in(page, live_server.url, "instructor")
    page.goto(reverse("quizzes:gradebook", args=["demo"]))
    link = page.get_by_role("link", name="awaiting grading", exact=True)
    expect(link).to_have_attribute("href", reverse("quizzes:attempt-result",
                                                   args=[objects["closed"].pk]))
    assert page.locator("table.gradebook th a").count() == 0 or \
        page.locator("table.gradebook thead a").count() == 0
    assert page.locator("table.gradebook tbody td:text-is('–')").count() == 0
    assert_wcag(page)


def test_escape_closes_an_open_note_wherever_focus_is(page):
    call_command("load_demo")
    log_in(page, "student", "lectio-student")
    page.goto(LESSON)
    note = Annotation.objects.filter(kind="glossary").order_by("passage__order", "start").first()
    page.locator(f"#ref-{note.pk}").focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#inline-{note.pk}")).to_be_visible()
    # Focus leaves the note for the page's skip link, far from it.
    page.locator(".skip-link").focus()
    page.keyboard.press("Escape")
    expect(page.locator(f"#inline-{note.pk}")).to_have_count(0)
    assert page.locator(f"#ref-{note.pk}").get_attribute("aria-expanded") == "false"
    expect(page.locator(".skip-link")).to_be_focused()  # focus stays where the reader was
