"""Who may read and change the "Données et confidentialité" page (checked through ``core.access``).

Every member of the organisation reads it, commissioners included: it says what is kept about
them and who sees it. Only coordinators change the retention periods.
"""

import rules

from entraide.core import access
from entraide.core.access import is_coordinator_of, is_member_of

rules.add_perm("privacy.view", is_member_of)
rules.add_perm("privacy.manage_retention", is_coordinator_of)

# A member of the organisation who may not change it gets a 403 there; anyone else a 404.
access.VIEW_PERMISSION.update({
    "privacy.view": "core.view_organisation",
    "privacy.manage_retention": "privacy.view",
})
