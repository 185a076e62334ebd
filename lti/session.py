"""What an LTI launch leaves in the browser's session, read by the pages that follow it
and by the middleware that lets the platform frame Lectio."""

from __future__ import annotations

EMBEDDED = "lti_embedded"           # True: this session began with a launch
FRAME_ORIGINS = "lti_frame_origins"  # origins that may frame Lectio in this session
LAUNCH_ID = "lti_launch_id"         # pylti1p3's id of the launch, in the shared cache
DEEP_LINK_ID = "lti_deep_link_id"   # the launch id of a deep-linking request, if any


def remember(session, *, launch_id: str, frame_origins: list[str], deep_link: bool) -> None:
    session[EMBEDDED] = True
    session[FRAME_ORIGINS] = frame_origins
    session[LAUNCH_ID] = launch_id
    if deep_link:
        session[DEEP_LINK_ID] = launch_id
    else:
        session.pop(DEEP_LINK_ID, None)
