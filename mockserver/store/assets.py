"""Asset operations of the store: files kept in memory with their metadata.

Test authors read assets through `list_assets`, `get_asset` and
`find_asset_file`, or through `store.state.assets`, which maps asset ids to
frozen `Asset` records whose `content` contains the file's bytes.
"""

import hashlib
from dataclasses import replace

from ..errors import AssetNotFound
from .base import locked
from .records import Asset


def checksum_of(content: bytes) -> str:
    """Return the checksum of a file's bytes, as `sha256:<hex>`."""
    return "sha256:" + hashlib.sha256(content).hexdigest()


class AssetStore:
    """The asset operations, mixed into the store.

    `list_assets`, `get_asset`, `create_asset`, `replace_asset`,
    `rename_asset` and `find_asset_file`.
    """

    def _asset(self, company_id, asset_id) -> Asset:
        asset = self.state.assets.get(asset_id)
        if asset is None or asset.company_id != company_id:
            raise AssetNotFound(
                f"No asset '{asset_id}' exists in company {company_id}."
            )
        return asset

    @locked
    def list_assets(self, company_id) -> list[Asset]:
        """Return the company's assets in creation order."""
        return [a for a in self.state.assets.values() if a.company_id == company_id]

    @locked
    def get_asset(self, company_id, asset_id) -> Asset:
        """Return the asset; raise AssetNotFound if the company has no such asset."""
        return self._asset(company_id, asset_id)

    @locked
    def create_asset(
        self, company_id, *, name, file_name, file_path, content_type, content
    ) -> Asset:
        now = self.clock()
        asset = Asset(
            asset_id=self.new_id("asset", self.state.assets),
            company_id=company_id,
            name=name,
            file_name=file_name,
            file_path=file_path,
            content_type=content_type,
            size=len(content),
            checksum=checksum_of(content),
            content=content,
            created_at=now,
            updated_at=now,
        )
        self.state.assets[asset.asset_id] = asset
        return asset

    @locked
    def replace_asset(
        self,
        company_id,
        asset_id,
        *,
        file_name,
        file_path,
        content_type,
        content,
        name=None,
    ) -> Asset:
        """Replace the file behind the asset; its old file path is then not found."""
        asset = self._asset(company_id, asset_id)
        replaced = replace(
            asset,
            name=asset.name if name is None else name,
            file_name=file_name,
            file_path=file_path,
            content_type=content_type,
            size=len(content),
            checksum=checksum_of(content),
            content=content,
            updated_at=self.clock(),
        )
        self.state.assets[asset_id] = replaced
        return replaced

    @locked
    def rename_asset(self, company_id, asset_id, name) -> Asset:
        """Change the display name only, so published file URLs keep working."""
        asset = self._asset(company_id, asset_id)
        renamed = replace(asset, name=name, updated_at=self.clock())
        self.state.assets[asset_id] = renamed
        return renamed

    @locked
    def find_asset_file(self, asset_id, file_path) -> Asset:
        """Return the asset whose current file path is `file_path`.

        Raises AssetNotFound for an unknown id or any other path, including
        the path of a file the asset had before a replace.
        """
        asset = self.state.assets.get(asset_id)
        if asset is None or asset.file_path != file_path:
            raise AssetNotFound(f"No file '{file_path}' exists for asset '{asset_id}'.")
        return asset
