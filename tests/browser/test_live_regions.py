"""Live updates for people who do not watch the screen (issue 15, part 3): what changes is said
through the page's live regions (polite for a new step and the timer's milestones, assertive
for "your turn"), never the timer's every second; focus stays where the person was across
pushed updates, and goes to the step's heading when the focused control disappears. In real
Chromium: the console at desktop width, phones at 360 px. The words come from the server (the
fragment's hidden cues), so the tests compare the regions with them, in any language."""

import pytest

from tests.browser.test_tables_live import console_of, phones_for, step_until, tap

pytestmark = pytest.mark.browser

TIMEOUT = 40_000
PREPARE = "/protocoles/atelier-entraide/preparer/?participants=7&start=14%3A00&end=16%3A30"

# Every text said into a live region, in order: [region id, text].
RECORD = """() => {
  window.__said = [];
  ["live-announce", "live-announce-now"].forEach(function (id) {
    var region = document.getElementById(id);
    new MutationObserver(function () {
      if (region.textContent) { window.__said.push([id, region.textContent]); }
    }).observe(region, { childList: true, characterData: true, subtree: true });
  });
}"""


def said(page, region="live-announce") -> list[str]:
    return [text for where, text in page.evaluate("window.__said") if where == region]


def wait_said(page, text, region="live-announce"):
    page.wait_for_function(
        "([region, text]) => window.__said.some(s => s[0] === region && s[1].includes(text))", arg=[region, text], timeout=TIMEOUT
    )


def focused(page) -> str:
    """What has focus, as "tag#id" (or the heading's text)."""
    return page.evaluate("() => { const e = document.activeElement; return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.tagName === 'H1' ? ':' + e.innerText : ''); }")


def test_steps_and_turns_are_announced_and_focus_survives_updates(server_url, browser, screenshot, pages_on_failure):
    console, code = console_of(browser, server_url, pages_on_failure, PREPARE)
    phones = phones_for(browser, server_url, pages_on_failure, code, ["Amina", "Bruno"])
    amina, bruno = phones["Amina"], phones["Bruno"]
    for page in (amina, bruno, console):
        page.evaluate(RECORD)
    # The visible timer is not a live region: it would be read every second.
    tap(console, "Démarrer la séance")
    amina.locator(".live-title").filter(has_text="Accueil des participant·es").wait_for(timeout=TIMEOUT)
    timer = amina.locator(".live-head .timer")
    assert timer.get_attribute("role") == "timer" and timer.get_attribute("aria-live") == "off"

    # A new step is said politely, in the words of the server's cue (its title included).
    wait_said(amina, "Accueil des participant·es")
    assert said(amina)[-1] == amina.locator("#live-cues").get_attribute("data-step-say")
    wait_said(console, "Accueil des participant·es")
    step_until(console, "Règles du jeu")
    wait_said(amina, "Règles du jeu")

    # Focus on a text field survives a change pushed by someone else, with what was typed.
    field = amina.get_by_label("Qu'est-ce qui est important pour vous pour que ça se passe bien ?")
    field.focus()
    field.press_sequentially("Bienveil")
    bruno.get_by_label("Qu'est-ce qui est important pour vous pour que ça se passe bien ?").fill("Pas de jugement")
    tap(bruno, "Proposer")
    amina.locator("ul.rules").get_by_text("Pas de jugement").wait_for(timeout=TIMEOUT)
    assert focused(amina) == "input#add_rule-text" and field.input_value() == "Bienveil"
    # ... and so does focus on a button.
    ready = amina.get_by_role("button", name="Je suis prêt·e")
    ready.focus()
    bruno.get_by_label("Qu'est-ce qui est important pour vous pour que ça se passe bien ?").fill("Écouter jusqu'au bout")
    tap(bruno, "Proposer")
    amina.locator("ul.rules").get_by_text("Écouter jusqu'au bout").wait_for(timeout=TIMEOUT)
    assert amina.evaluate("document.activeElement.tagName") == "BUTTON"
    assert amina.evaluate("document.activeElement.innerText") == "Je suis prêt·e"

    # When the focused control goes away with its step, focus goes to the new step's heading.
    field.focus()
    tap(console, "Étape suivante")
    amina.locator(".live-title").filter(has_text="Recherche de problématique").wait_for(timeout=TIMEOUT)
    amina.wait_for_function("document.activeElement.matches('h1.live-title')", timeout=TIMEOUT)
    assert focused(amina) == "h1:Recherche de problématique"

    # "Your turn" is said at once (assertive), to the person whose turn it is only.
    for name, page in phones.items():
        page.get_by_label("Ma problématique").fill(f"Problématique de {name}")
        tap(page, "Enregistrer ma problématique")
    console.get_by_text("2 problématiques rédigées").wait_for(timeout=TIMEOUT)
    # A focused heading still takes the new step's title.
    amina.locator("h1.live-title").focus()
    tap(console, "Étape suivante")
    console.locator(".live-title").filter(has_text="Partage des problématiques").wait_for(timeout=TIMEOUT)
    amina.locator(".live-title").filter(has_text="Partage des problématiques").wait_for(timeout=TIMEOUT)
    assert focused(amina) == "h1:Partage des problématiques"
    tap(console, "Donner la parole à la première personne")
    first = console.locator("ol.turn-order li.current").inner_text()
    speaker, other = (amina, bruno) if "Amina" in first else (bruno, amina)
    speaker.locator("#live").get_by_text("À vous : présentez votre problématique.").wait_for(timeout=TIMEOUT)
    wait_said(speaker, "présentez votre problématique", region="live-announce-now")
    assert said(speaker, "live-announce-now") == ["À vous : présentez votre problématique."]
    tap(console, "Personne suivante")
    other.locator("#live").get_by_text("À vous : présentez votre problématique.").wait_for(timeout=TIMEOUT)
    wait_said(other, "présentez votre problématique", region="live-announce-now")
    assert len(said(speaker, "live-announce-now")) == 1
    screenshot(other, "phone-your-turn")


def test_timer_milestones_are_said_once_each_never_every_second(server_url, browser, pages_on_failure):
    """The phone's clock is Playwright's: it jumps to 5 minutes left, 1 minute left and past the
    end of the 30-minute welcome step, ticking as a phone does in between."""
    console, code = console_of(browser, server_url, pages_on_failure, PREPARE)
    context = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.set_default_timeout(TIMEOUT)
    pages_on_failure.append(phone)
    phone.clock.install()
    phone.goto(server_url + "/rejoindre/")
    phone.get_by_label("Code de la séance").fill(code)
    phone.get_by_label("Votre nom, tel que le groupe le verra").fill("Chloé")
    tap(phone, "Rejoindre")
    phone.locator(".role-badge").filter(has_text="Chloé").wait_for()
    phone.evaluate(RECORD)
    tap(console, "Démarrer la séance")
    phone.locator(".live-title").filter(has_text="Accueil des participant·es").wait_for(timeout=TIMEOUT)
    phone.locator(".live-head .timer-value").filter(has_text="29:").wait_for(timeout=TIMEOUT)
    wait_said(phone, "Accueil des participant·es")
    cues = phone.locator("#live-cues")
    five, one, up = (cues.get_attribute(f"data-timer-{mark}") for mark in (300, 60, 0))
    phone.clock.run_for(3_000)  # a few ordinary seconds: nothing said
    assert said(phone) == [cues.get_attribute("data-step-say")]

    phone.clock.fast_forward("25:10")
    wait_said(phone, five)
    phone.clock.run_for(5_000)
    phone.clock.fast_forward("04:00")
    wait_said(phone, one)
    phone.clock.run_for(5_000)
    phone.clock.fast_forward("01:00")
    wait_said(phone, up)
    phone.clock.run_for(5_000)
    assert phone.locator(".live-head .timer-value").inner_text().startswith("−")
    assert said(phone) == [cues.get_attribute("data-step-say"), five, one, up]
