"""Static file storage: WhiteNoise's compressed manifest storage, remembering each URL.

`{% static %}` runs several times on every page, and each call looks the name up in the
manifest and joins URLs again. The manifest is read once when a process starts and cannot
change until it restarts, so each name's URL is computed once.
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._url_memo: dict[str, str] = {}

    def url(self, name, force=False):
        """The hashed URL of `name`, as the manifest storage gives it."""
        if force:
            return super().url(name, force)
        try:
            return self._url_memo[name]
        except KeyError:
            url = self._url_memo[name] = super().url(name)
            return url

    def post_process(self, *args, **kwargs):
        # collectstatic rewrites the manifest: forget what was computed from the old one.
        self._url_memo.clear()
        yield from super().post_process(*args, **kwargs)
