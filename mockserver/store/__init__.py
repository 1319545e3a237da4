"""In-memory state of the mock.

`Store` owns every record behind one lock. Test authors inspect state through
its operations (`list_campaigns`, `list_invitations`, `list_emails`, ...) or
through `store.state`, whose containers map ids to frozen records. A change
replaces the record, so a record read earlier never changes under the reader.
"""

from .assets import AssetStore
from .base import BaseStore
from .campaigns import CampaignStore
from .invitations import InvitationStore


class Store(CampaignStore, InvitationStore, AssetStore, BaseStore):
    """The whole state: companies, keys, campaigns, invitations, assets, outbox."""


__all__ = ["Store"]
