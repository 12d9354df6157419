from channels.db import database_sync_to_async
from django.core.exceptions import ValidationError

from ruche.accounts.models import Organisation
from ruche.core.consumers import LiveGroupConsumer


class OrganisationConsumer(LiveGroupConsumer):
    """Live feed of an organisation (members joining…) for its members' dashboards."""

    async def authorize(self):
        return await database_sync_to_async(self._group_if_allowed)()

    def _group_if_allowed(self):
        user = self.scope.get("user")
        organisation_id = self.scope["url_route"]["kwargs"]["organisation_id"]
        try:
            organisation = Organisation.objects.get(pk=organisation_id)
        except (Organisation.DoesNotExist, ValidationError, ValueError):
            return None
        if user is None or not user.has_perm("accounts.follow_organisation_live", organisation):
            return None
        return organisation.group_name
