"""Keyboard-only runs in real Chromium (issue 15, part 3): the participant's path on a 360 px
phone and the facilitator's console at desktop size, with nothing but ``keyboard.press`` (Tab,
Shift+Tab, Enter, Space, arrows) and typing. After every key the focused element is checked:
it is on screen, its focus indicator is drawn (an outline or a shadow, on the element or, for
the ballot's radios, on the box that shows them), and Chromium's accessibility tree gives it a
role and a name (read over the DevTools protocol, as a screen reader would get them). The keys
pressed are listed in each test's docstring. Screenshots go to test-artifacts/."""

import pytest

from tests.browser.test_tables_live import console_of, phones_for, step_until, tap

pytestmark = pytest.mark.browser

TIMEOUT = 40_000
PREPARE = "/protocoles/atelier-entraide/preparer/?participants=7&start=14%3A00&end=16%3A30"

FOCUS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) { return null; }
  const onScreen = el => { const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth; };
  const ring = el => { const s = getComputedStyle(el);
    return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== 'none'); };
  let shown = e;
  // The ballot's radios are drawn by the box that follows them (.segmented span).
  if (e.matches('input[type=radio], input[type=checkbox]') && e.nextElementSibling && !(onScreen(e) && ring(e))) { shown = e.nextElementSibling; }
  const legend = e.closest('fieldset') && e.closest('fieldset').querySelector('legend');
  return { tag: e.tagName, id: e.id, onScreen: onScreen(shown), ring: ring(shown), checked: !!e.checked,
           group: legend ? legend.innerText : '' };
}"""


class Keyboard:
    """One person's keyboard on one page, checking the focus after each key; ``log`` is what was
    pressed and where focus went, shown when an assertion fails."""

    def __init__(self, page):
        self.page = page
        self.cdp = page.context.new_cdp_session(page)
        self.log: list[str] = []

    def focus(self) -> dict:
        info = self.page.evaluate(FOCUS)
        assert info is not None, f"focus lost: {self.log[-5:]}"
        handle = self.cdp.send("Runtime.evaluate", {"expression": "document.activeElement"})["result"]
        nodes = self.cdp.send("Accessibility.getPartialAXTree", {"objectId": handle["objectId"], "fetchRelatives": False})["nodes"]
        node = next(n for n in nodes if not n.get("ignored"))
        info["role"] = node.get("role", {}).get("value", "")
        info["name"] = (node.get("name", {}).get("value") or "").strip()
        return info

    def press(self, key: str) -> dict:
        self.page.keyboard.press(key)
        if key in ("Tab", "Shift+Tab") and self.page.evaluate("document.activeElement === document.body"):
            # Past the last (or first) control focus leaves the page for the browser's own
            # controls; the next Tab comes back to the top.
            self.log.append(f"{key} → (out of the page)")
            return {"role": "", "name": "", "group": ""}
        info = self.focus()
        self.log.append(f"{key} → {info['role']} {info['name']!r}")
        assert info["name"], f"no accessible name: {info} after {self.log[-5:]}"
        assert info["onScreen"], f"focused element off screen: {info} after {self.log[-5:]}"
        assert info["ring"], f"no focus indicator: {info} after {self.log[-5:]}"
        return info

    def to(self, role: str, name: str, key: str = "Tab", limit: int = 60, group: str = "") -> dict:
        """Press ``key`` until the focus is on an element of ``role`` whose name contains
        ``name`` (and, for a radio, inside the fieldset whose legend contains ``group``)."""
        if self.page.evaluate("document.activeElement !== document.body"):
            info = self.focus()  # already there (a field with autofocus, say)
            if info["role"] == role and name in info["name"] and group in info["group"]:
                self.log.append(f"already on {role} {info['name']!r}")
                return info
        for _ in range(limit):
            info = self.press(key)
            if info["role"] == role and name in info["name"] and group in info["group"]:
                return info
        raise AssertionError(f"no {role} {name!r} within {limit} × {key}: {self.log[-limit:]}")

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.log.append(f"typed {text!r}")


def on_step(page, title):
    page.locator(".live-title").filter(has_text=title).wait_for(timeout=TIMEOUT)


def test_a_participant_joins_votes_queues_and_notes_with_the_keyboard_only(server_url, browser, screenshot, pages_on_failure):
    """Kim, on a 360 px phone, keyboard only (the facilitator and Amina use the mouse):

    1. Join: on /rejoindre/, Tab to "Code de la séance", type the code; Tab to "Votre nom…",
       type "Kim"; Enter. Checked: Kim's phone shows her role badge.
    2. Problem: Tab to "Ma problématique", type it; Tab to "Enregistrer ma problématique";
       Enter. Checked: the console counts 2 problems.
    3. Vote: Tab to the radio group of Amina's problem, ArrowRight twice (2 votes); Tab to the
       group of her own, ArrowRight (1 vote); Tab to "Voter"; Enter. Checked: "0 vote
       restant" and, revealed, Amina's problem chosen with 4 votes.
    4. Speaking queue (exchanges step): Tab to "Lever la main"; Space. Checked: Kim is in the
       queue and focus sits on a named control ("Baisser la main").
    5. Private note: Tab to the "Mes notes personnelles" summary; Enter (it opens); Tab to
       "Une note pour moi", type the note; Tab to "Garder", Shift+Tab back to the text (still
       there), Tab, Enter. Checked: the note is listed.
    After every key: the focused element is on screen, has a visible focus indicator and an
    accessible name (Chromium's accessibility tree)."""
    console, code = console_of(browser, server_url, pages_on_failure, PREPARE)
    amina = phones_for(browser, server_url, pages_on_failure, code, ["Amina"])["Amina"]
    context = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    kim = context.new_page()
    kim.set_default_timeout(TIMEOUT)
    pages_on_failure.append(kim)
    keys = Keyboard(kim)

    # 1. Join by code.
    kim.goto(server_url + "/rejoindre/")
    keys.to("textbox", "Code de la séance")
    keys.type(code.lower())
    keys.to("textbox", "Votre nom")
    keys.type("Kim")
    keys.page.keyboard.press("Enter")
    kim.locator(".role-badge").filter(has_text="Kim").wait_for()
    screenshot(kim, "kim-joined")

    tap(console, "Démarrer la séance")
    step_until(console, "Recherche de problématique")
    amina.get_by_label("Ma problématique").fill("Problématique de Amina : une équipe épuisée")
    tap(amina, "Enregistrer ma problématique")

    # 2. Kim's problem.
    on_step(kim, "Recherche de problématique")
    keys.to("textbox", "Ma problématique")
    keys.type("Problématique de Kim : un planning impossible")
    keys.to("button", "Enregistrer ma problématique")
    keys.page.keyboard.press("Enter")
    console.get_by_text("2 problématiques rédigées").wait_for(timeout=TIMEOUT)
    step_until(console, "Choix de la problématique")

    # 3. The dot vote.
    on_step(kim, "Choix de la problématique")
    keys.to("radio", "0", group="Amina")
    keys.press("ArrowRight")
    chosen = keys.press("ArrowRight")
    assert chosen["name"] == "2" and chosen["checked"] and "Amina" in chosen["group"]
    keys.to("radio", "0", group="Kim")
    mine = keys.press("ArrowRight")
    assert mine["name"] == "1" and mine["checked"]
    keys.to("button", "Voter")
    screenshot(kim, "kim-ballot")
    keys.page.keyboard.press("Enter")
    kim.get_by_text("0 vote restant").first.wait_for(timeout=TIMEOUT)
    keys.focus()  # still somewhere named and visible after the answer
    amina.locator("fieldset.ballot-line").filter(has_text="Problématique de Amina").locator("label:has(input[value='2'])").click()
    tap(amina, "Voter")
    amina.get_by_text("1 vote restant").first.wait_for(timeout=TIMEOUT)
    console.get_by_text("2 personnes ont voté").first.wait_for(timeout=TIMEOUT)
    tap(console, "Dévoiler les votes")
    kim.locator("ol.results li.chosen").filter(has_text="Problématique de Amina").wait_for(timeout=TIMEOUT)
    assert kim.locator("ol.results li.chosen .count").inner_text() == "4"
    tap(console, "Étape suivante")
    on_step(amina, "Consentement")
    tap(amina, "Oui, je suis d'accord")
    step_until(console, "Échanges entre les contributeur·rices")

    # 4. The speaking queue.
    on_step(kim, "Échanges entre les contributeur·rices")
    keys.to("button", "Lever la main")
    keys.page.keyboard.press("Space")
    kim.locator("ol.queue li.mine").wait_for(timeout=TIMEOUT)
    kim.get_by_role("button", name="Baisser la main").wait_for(timeout=TIMEOUT)
    after = keys.focus()
    assert after["name"] and after["onScreen"], after
    screenshot(kim, "kim-queue")

    # 5. A private note.
    keys.to("DisclosureTriangle", "Mes notes personnelles")
    keys.page.keyboard.press("Enter")
    kim.locator("#notes-details[open]").wait_for(timeout=TIMEOUT)
    keys.to("textbox", "Une note pour moi")
    keys.type("Relire mes notes de la séance de mars")
    keys.to("button", "Garder")
    back = keys.press("Shift+Tab")
    assert back["role"] == "textbox" and "Une note pour moi" in back["name"]
    keys.to("button", "Garder")
    keys.page.keyboard.press("Enter")
    kim.locator("ul.notes").get_by_text("Relire mes notes de la séance de mars").wait_for(timeout=TIMEOUT)
    keys.focus()
    screenshot(kim, "kim-note")


def test_the_facilitator_runs_the_console_with_the_keyboard_only(server_url, browser, screenshot, pages_on_failure):
    """The facilitator, on a 1280 × 900 laptop, keyboard only:

    1. Sign in: on /connexion/, Tab to "Adresse e-mail", type; Tab to "Mot de passe", type;
       Enter.
    2. Open: on the prepared atelier d'entraide, Shift+Tab (from the page's end) to "Ouvrir la
       séance"; Enter. Checked: the console shows the join code.
    3. Start: Tab to "Démarrer la séance"; Enter. Checked: step 1 shows and, its button gone,
       focus is on the step's heading.
    4. Next step: Tab to "Étape suivante"; Enter, Enter. Checked: "Règles du jeu", focus still on
       "Étape suivante".
    5. Add time: Tab to "+5 min"; Space. Checked: the timer shows 5 minutes more.
    6. Pause and resume: Tab to "Pause", Enter (checked: "en pause"); Shift+Tab/Tab to
       "Reprendre", Enter.
    7. Back: Shift+Tab to "Précédente"; Enter. Checked: "Présentation de l'atelier".
    8. Skip: Tab to "Passer"; Enter. Checked: "Règles du jeu".
    9. End: Tab to "Terminer maintenant"; Enter; the confirmation accepted. Checked: "La séance
       est terminée".
    After every key: the focused element is on screen, has a visible focus indicator and an
    accessible name."""
    laptop = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = laptop.new_page()
    page.set_default_timeout(TIMEOUT)
    pages_on_failure.append(page)
    page.on("dialog", lambda dialog: dialog.accept())
    keys = Keyboard(page)

    page.goto(server_url + "/connexion/")
    keys.to("textbox", "Adresse e-mail")
    keys.type("facilitation@demo.entraide.test")
    keys.to("textbox", "Mot de passe")
    keys.type("entraide-demo")
    keys.page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/connexion/" not in url, timeout=TIMEOUT)

    page.goto(server_url + PREPARE)
    # From the end of the page (the agenda's time fields come first: see the report).
    keys.to("button", "Ouvrir la séance", key="Shift+Tab")
    keys.page.keyboard.press("Enter")
    page.get_by_test_id("join-code").wait_for(timeout=TIMEOUT)
    screenshot(page, "console-opened")

    keys.to("button", "Démarrer la séance")
    keys.page.keyboard.press("Enter")
    on_step(page, "Accueil des participant·es")
    page.wait_for_function("document.activeElement.matches('h1.live-title')", timeout=TIMEOUT)
    assert keys.focus()["name"] == "Accueil des participant·es"

    keys.to("button", "Étape suivante")
    keys.page.keyboard.press("Enter")
    on_step(page, "Présentation de l'atelier")
    assert keys.focus()["name"] == "Étape suivante"
    keys.page.keyboard.press("Enter")
    on_step(page, "Règles du jeu")
    assert keys.focus()["name"] == "Étape suivante"

    def remaining() -> int:
        text = page.locator(".live-head .timer-value").inner_text().replace("−", "-")
        minutes, seconds = text.split(":")
        return int(minutes) * 60 + (int(seconds) if not minutes.startswith("-") else -int(seconds))

    before = remaining()
    keys.to("button", "+5 min")
    keys.page.keyboard.press("Space")
    page.wait_for_function(f"() => {{ const [m, s] = document.querySelector('.live-head .timer-value').innerText.split(':'); return +m * 60 + +s > {before + 200}; }}", timeout=TIMEOUT)
    assert keys.focus()["name"] == "+5 min"

    keys.to("button", "Pause", key="Shift+Tab")
    keys.page.keyboard.press("Enter")
    page.locator(".live-head .timer-state").wait_for(timeout=TIMEOUT)
    keys.focus()
    keys.to("button", "Reprendre", key="Shift+Tab", limit=10) if keys.focus()["name"] != "Reprendre" else None
    keys.page.keyboard.press("Enter")
    page.locator(".live-head .timer-state").wait_for(state="detached", timeout=TIMEOUT)
    screenshot(page, "console-resumed")

    keys.to("button", "Précédente", key="Shift+Tab")
    keys.page.keyboard.press("Enter")
    on_step(page, "Présentation de l'atelier")
    keys.to("button", "Passer")
    keys.page.keyboard.press("Enter")
    on_step(page, "Règles du jeu")

    keys.to("button", "Terminer maintenant")
    keys.page.keyboard.press("Enter")
    on_step(page, "La séance est terminée")
    keys.focus()
    screenshot(page, "console-ended")
