"""Random prepared events for bench/grouping.py: presenters with cases, participants with ranked
preferences (popular cases more often), languages and communities."""

import random

from entraide.grouping import Case, Person


def random_event(n_people: int, seed: int, max_size: int = 5) -> tuple[list[Person], list[Case]]:
    """About one presenter per 4.5 people; cases in French, some in German; 3 of 4 participants
    speak only French, a few both; 8 communities; a few avoid pairs."""
    rng = random.Random(seed)
    n_cases = max(2, round(n_people / 4.5))
    while n_cases * max_size < n_people:
        n_cases += 1
    communities = [f"c{i}" for i in range(8)]
    cases, people = [], []
    for i in range(n_cases):
        language = "de" if i % 5 == 4 else "fr"
        key = f"p{i}"
        people.append(Person(key, languages=frozenset({language}), community=rng.choice(communities)))
        cases.append(Case(f"case{i}", key, language))
    popularity = [rng.random() + 0.3 for _ in cases]
    for i in range(n_people - n_cases):
        languages = frozenset({"fr", "de"}) if rng.random() < 0.25 else frozenset({"fr"})
        options = [c.key for c in cases if c.language in languages]
        weights = [popularity[int(k[4:])] for k in options]
        preferences = []
        while len(preferences) < 3 and len(preferences) < len(options):
            pick = rng.choices(options, weights)[0]
            if pick not in preferences:
                preferences.append(pick)
        people.append(Person(f"x{i}", tuple(preferences), languages, rng.choice(communities)))
    for _ in range(n_people // 20):
        a, b = rng.sample(people[n_cases:], 2)
        index = people.index(a)
        people[index] = Person(a.key, a.preferences, a.languages, a.community, a.avoid | {b.key})
    return people, cases
