"""Who may export or erase a person's data: only that person (issue 14, point 5).

``obj`` is the account itself: nobody, not even a coordinator, exports or erases another
person's data through these doors.
"""

import rules


@rules.predicate
def is_that_person(user, person) -> bool:
    """obj: an account. The signed-in, active user is that account."""
    return (
        person is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and user.pk == getattr(person, "pk", None)
    )


rules.add_perm("mydata.export", is_that_person)
rules.add_perm("mydata.erase", is_that_person)
