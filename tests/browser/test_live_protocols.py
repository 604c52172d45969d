"""Every built-in protocol other than the atelier d'entraide, run live in French in real
Chromium: a facilitator on a laptop and three phones (360 px), from the first step to the last,
each doing what the step asks (writing rules, proposing a situation, choosing or naming the
person who brings it, questions and answers, the speaking queue, ideas, actions, share rounds,
consent to the record), and the facilitator going on with "Étape suivante" only. Screenshots of
a few phone states go to test-artifacts/."""

import pytest

pytestmark = pytest.mark.browser

TIMEOUT = 15_000
NAMES = ["Amina", "Bruno", "Chloé"]
PROTOCOLS = ["analyse-des-pratiques", "echange-de-pratiques", "supervision-collective", "brouillon-atelier", "atelier-pratique"]


def french_steps(key: str) -> list[tuple[str, str]]:
    """(French title, activity) of the steps a live session of this built-in walks through."""
    from importlib import resources

    import yaml

    data = yaml.safe_load(resources.files("entraide.protocols").joinpath(f"builtin/{key}.yaml").read_text(encoding="utf-8"))
    steps = [s for s in data["steps"] if s.get("phase", "session") == "session"] + [s for s in data["steps"] if s.get("phase") == "after"]
    return [(s["title"]["fr"], s["activity"]) for s in steps]


def tap(page, name, exact=True):
    page.get_by_role("button", name=name, exact=exact).first.click()


def on_step(page, title):
    page.locator(".live-title").filter(has_text=title).wait_for(timeout=TIMEOUT)


def form(page, command, **fields):
    """The first form of the page that sends ``command`` (with these hidden fields)."""
    selector = f"form[data-live-command]:has(input[name=command][value={command}])"
    for name, value in fields.items():
        selector += f":has(input[name={name}][value='{value}'])"
    return page.locator(selector).first


def send(page, command, text=None, **fields):
    target = form(page, command, **fields)
    target.wait_for()
    if text is not None:
        target.locator("[name=text]").fill(text)
    target.locator("button[type=submit]").click()


def role_of(page) -> str:
    return page.locator(".role-badge").first.get_attribute("class")


def test_each_other_protocol_runs_live_from_phones(server_url, browser, screenshot, pages_on_failure):
    errors: list[str] = []
    laptop = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    facilitator = laptop.new_page()
    facilitator.set_default_timeout(TIMEOUT)
    pages_on_failure.append(facilitator)
    facilitator.on("dialog", lambda dialog: dialog.accept())
    facilitator.on("console", lambda m: errors.append(f"facilitator: {m.text}") if m.type == "error" else None)
    facilitator.goto(server_url + "/connexion/")
    facilitator.get_by_label("Adresse e-mail").fill("facilitation@demo.entraide.test")
    facilitator.get_by_label("Mot de passe").fill("entraide-demo")
    facilitator.get_by_role("button", name="Se connecter").last.click()
    contexts = []
    for key in PROTOCOLS:
        run_protocol(key, server_url, browser, facilitator, screenshot, pages_on_failure, errors, contexts)
        for context in contexts:
            context.close()
        contexts.clear()
        pages_on_failure[1:] = []
    assert [e for e in errors if "favicon" not in e] == [], errors


def run_protocol(key, server_url, browser, facilitator, screenshot, pages_on_failure, errors, contexts):
    facilitator.goto(server_url + f"/protocoles/{key}/preparer/?participants=6&start=09%3A00&end=12%3A00")
    facilitator.get_by_label("Titre (facultatif)").fill(f"Séance {key}")
    tap(facilitator, "Ouvrir la séance")
    code = facilitator.get_by_test_id("join-code").inner_text()

    phones = {}
    for name in NAMES:
        context = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT)
        pages_on_failure.append(page)
        page.on("console", lambda m, n=f"{key} {name}": errors.append(f"{n}: {m.text}") if m.type == "error" else None)
        page.goto(server_url + "/rejoindre/")
        page.get_by_label("Code de la séance").fill(code)
        page.get_by_label("Votre nom, tel que le groupe le verra").fill(name)
        tap(page, "Rejoindre")
        page.locator(".role-badge").filter(has_text=name).wait_for()
        phones[name] = page
    facilitator.locator("[data-testid=person]").nth(3).wait_for()

    steps = french_steps(key)
    tap(facilitator, "Démarrer la séance")
    for index, (title, activity) in enumerate(steps):
        on_step(facilitator, title)
        # Roles are named as this protocol names them: never the atelier's "offreur·se".
        assert "ffreur" not in facilitator.locator("body").inner_text(), (key, title)
        for page in phones.values():
            on_step(page, title)
            assert "ffreur" not in page.locator("body").inner_text(), (key, title)
            # Each phone has something to do at this step, or reads that there is nothing to do.
            assert page.locator("section.activity form[data-live-command]").count() > 0 or page.get_by_test_id("nothing-to-do").count() == 1, (key, title)
        do_the_step(key, index, activity, facilitator, phones, screenshot)
        if index == len(steps) - 1:
            tap(facilitator, "Terminer la séance")
        else:
            tap(facilitator, "Étape suivante")
            on_step(facilitator, steps[index + 1][0])
    facilitator.locator(".live-title").filter(has_text="La séance est terminée").wait_for()
    for page in phones.values():
        page.locator(".live-title").filter(has_text="La séance est terminée").wait_for()


def offerer_page(phones):
    for page in phones.values():
        if "role-offerer" in role_of(page):
            return page
    return None


def do_the_step(key, index, activity, facilitator, phones, screenshot):
    amina, bruno, chloe = (phones[n] for n in NAMES)
    offerer = offerer_page(phones)
    contributors = [p for p in phones.values() if p is not offerer]
    if activity == "rules":
        send(amina, "add_rule", text="Ce qui se dit ici reste ici")
        facilitator.get_by_text("Ce qui se dit ici reste ici").first.wait_for()
    elif activity in ("situations", "pitch"):
        for name in ("Amina", "Bruno"):
            send(phones[name], "write_problem", text=f"{name} : un groupe qui ne vient plus")
        if key == "atelier-pratique":
            # Each case presented gets its own table (issue 12): nobody is picked at the room;
            # the cases wait for the forming on the console and the phones.
            facilitator.get_by_test_id("tables-panel").get_by_text("Bruno : un groupe qui ne vient plus").wait_for()
            chloe.get_by_test_id("cases").get_by_text("Bruno : un groupe qui ne vient plus").wait_for()
            assert facilitator.locator("[data-testid=bringer]").count() == 0
            return
        facilitator.locator("[data-testid=bringer] li").filter(has_text="Bruno :").wait_for()
        if index < 4:
            screenshot(chloe, f"{key}-phone-situations")
        if key == "supervision-collective":
            send(facilitator, "name_bringer")  # the first person listed: named directly
        else:
            send(facilitator, "choose_situation")
        facilitator.locator("[data-testid=bringer] .notice").wait_for()
        screenshot(facilitator, f"{key}-console-bringer")
        chosen = None
        for page in phones.values():
            page.locator(".bringer .notice").wait_for()
            if page.get_by_text("Vous êtes choisi·e").count():
                chosen = page
        assert chosen is not None
        screenshot(chosen, f"{key}-phone-chosen")
    elif activity == "clarify" and offerer is not None:
        send(contributors[0], "ask_question", text="Depuis quand est-ce ainsi ?")
        form(offerer, "answer_question").wait_for()
        send(offerer, "answer_question", text="Depuis la rentrée.")
        facilitator.get_by_text("Depuis la rentrée.").first.wait_for()
    elif activity == "exchange":
        speaker = contributors[0]
        send(speaker, "raise_hand")
        send(facilitator, "give_floor")
        form(speaker, "end_floor").wait_for()
        screenshot(speaker, f"{key}-phone-has-the-floor")
        send(speaker, "end_floor")
        form(facilitator, "end_floor").wait_for(state="detached")
    elif activity == "harvest" and offerer is not None and form(offerer, "add_idea").count():
        send(offerer, "add_idea", text="Proposer un rendez-vous individuel")
        facilitator.get_by_text("Proposer un rendez-vous individuel").first.wait_for()
    elif activity == "action_plan" and offerer is not None and form(offerer, "add_action").count():
        send(offerer, "add_action", text="Appeler les familles")
        facilitator.get_by_text("Appeler les familles").first.wait_for()
    elif activity == "share_round":
        order = facilitator.locator("ol.turn-order li")
        names = [order.nth(i).inner_text() for i in range(order.count())]
        me = facilitator.locator("[data-testid=person]").first.locator(".name").inner_text()
        # The facilitator never has the first turn; they speak last where the protocol says so.
        assert names and names[0] != me, names
        assert (me in names) == (key == "supervision-collective"), names
        for name in names:
            send(facilitator, "next_turn")
            facilitator.locator("ol.turn-order li.current").filter(has_text=name).wait_for()
        screenshot(amina, f"{key}-phone-share-round")
    elif activity == "documentation":
        for page in [*phones.values(), facilitator]:
            send(page, "give_consent", agrees="yes")
        facilitator.get_by_text("4 sur 4 ont répondu.").first.wait_for()
    elif activity in ("info", "break", "debrief", "expose") and index in (0, 1):
        screenshot(bruno, f"{key}-phone-{activity}")
