"""pylti1p3 wired to django-lti's models, Lectio's shared cache and bounded network calls.

django-lti's own helpers are close to what Lectio needs, with three differences that matter
for security and operations, so they are adapted here rather than used as they are:

- An unknown deployment id is refused. django-lti records it as a new, inactive deployment;
  that would let anyone holding a valid platform token create rows, and a refused launch
  must create nothing.
- Launch state (OIDC state, nonces, launch data) lives in the "shared" cache, which every
  worker reads; django-lti uses the default cache, a per-process memory here.
- Every HTTP call (the platform's keys, tokens, NRPS, AGS) has a timeout, so a slow platform
  cannot hold a worker for ever.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import requests
from django.conf import settings
from lti_tool.models import LtiDeployment, LtiLaunch, LtiRegistration
from lti_tool.utils import DjangoToolConfig
from pylti1p3.contrib.django import DjangoCacheDataStorage, DjangoMessageLaunch
from pylti1p3.deployment import Deployment
from pylti1p3.exception import LtiException
from pylti1p3.service_connector import REQUESTS_USER_AGENT, ServiceConnector


class TimeoutSession(requests.Session):
    """A requests session whose calls time out after LECTIO_LTI_HTTP_TIMEOUT seconds."""

    def __init__(self) -> None:
        super().__init__()
        self.headers["User-Agent"] = f"Lectio ({REQUESTS_USER_AGENT})"

    def request(self, method, url, **kwargs):
        kwargs.setdefault("timeout", settings.LECTIO_LTI_HTTP_TIMEOUT)
        return super().request(method, url, **kwargs)


class ToolConfig(DjangoToolConfig):
    """django-lti's registration lookup, with unknown or inactive deployments refused."""

    def _deployment(self, lookups: dict) -> Deployment | None:
        deployment = LtiDeployment.objects.filter(**lookups).first()
        if deployment is None:
            return None
        if not deployment.is_active:
            raise LtiException("Deployment is not active")
        self.deployment = deployment
        return Deployment().set_deployment_id(deployment.deployment_id)

    def find_deployment(self, iss, deployment_id):
        lookups = {"registration__issuer": iss, "registration__is_active": True,
                   "deployment_id": deployment_id}
        if self.registration_uuid is not None:
            lookups["registration__uuid"] = self.registration_uuid
        return self._deployment(lookups)

    def find_deployment_by_params(self, iss, deployment_id, client_id, *args, **kwargs):
        lookups = {"registration__issuer": iss, "registration__client_id": client_id,
                   "registration__is_active": True, "deployment_id": deployment_id}
        if self.registration_uuid is not None:
            lookups["registration__uuid"] = self.registration_uuid
        return self._deployment(lookups)


def launch_storage() -> DjangoCacheDataStorage:
    return DjangoCacheDataStorage(cache_name=settings.LECTIO_SHARED_CACHE)


def launch_validate(request) -> LtiLaunch:
    """Validate the launch POSTed to `request` (state, signature, nonce, registration,
    deployment, message) and return it; raise LtiException when anything is wrong.

    On top of pylti1p3's checks: the token must name an expiry and an issue time, and its
    audience must be this tool's client id (with `azp` naming it when there are several).
    """
    message_launch = DjangoMessageLaunch(request, ToolConfig(),
                                         launch_data_storage=launch_storage(),
                                         requests_session=TimeoutSession())
    message_launch.validate()
    body = message_launch.get_launch_data()
    if not isinstance(body.get("exp"), (int, float)) or not isinstance(body.get("iat"),
                                                                       (int, float)):
        raise LtiException("The id_token has no expiry or issue time")
    registration: LtiRegistration = message_launch.get_tool_conf().registration
    audience = body.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if registration.client_id not in audiences or (
            len(audiences) > 1 and body.get("azp") != registration.client_id):
        raise LtiException("Client id not registered for this issuer (audience)")
    return LtiLaunch(message_launch)


def launch_restore(request, launch_id: str) -> LtiLaunch:
    """The launch validated earlier under `launch_id` (kept in the shared cache)."""
    message_launch = DjangoMessageLaunch.from_cache(
        launch_id, request, ToolConfig(), launch_data_storage=launch_storage(),
        requests_session=TimeoutSession())
    return LtiLaunch(message_launch)


def service_connector(registration: LtiRegistration) -> ServiceConnector:
    """A connector that gets OAuth2 tokens for `registration` and calls its services."""
    return ServiceConnector(registration.to_registration(), TimeoutSession())


def origin(url: str | None) -> str | None:
    """`https://host[:port]` of an absolute http(s) URL, or None."""
    if not url or not isinstance(url, str):
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def frame_origins(lti_launch: LtiLaunch) -> list[str]:
    """The origins allowed to frame Lectio after this launch: the registered platform's
    (issuer, login and token URLs), those the platform signed in the launch (return URL,
    deep-linking return URL, platform URL), and LECTIO_LTI_FRAME_ORIGINS."""
    registration = lti_launch.registration
    presentation = lti_launch.launch_presentation_claim or {}
    deep_linking = lti_launch.get_claim(
        "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings") or {}
    platform = lti_launch.platform_instance_claim or {}
    candidates = [registration.issuer, registration.auth_url, registration.token_url,
                  presentation.get("return_url"), deep_linking.get("deep_link_return_url"),
                  platform.get("url"), *settings.LECTIO_LTI_FRAME_ORIGINS]
    found: list[str] = []
    for candidate in candidates:
        value = origin(candidate)
        if value and value not in found:
            found.append(value)
    return found
