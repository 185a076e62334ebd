"""A learning platform simulator for the LTI tests: its own RSA key and JWKS, an OIDC
authorisation endpoint, a token endpoint, and NRPS and AGS endpoints, served over real HTTP
on 127.0.0.1 by a thread, recording everything they receive.

It runs no Django code: Lectio calls it over HTTP as it would call Canvas or Moodle, and the
tests read `received` afterwards (in their own thread, where the test database is).
"""

from __future__ import annotations

import html
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from jwcrypto.jwk import JWK

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
TA = "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"
MENTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor"
AGS_SCOPES = ["https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
              "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
              "https://purl.imsglobal.org/spec/lti-ags/scope/score"]


_KEYS: dict[str, JWK] = {}


def new_key(kid: str) -> JWK:
    """An RSA key named `kid`; made once per test run (2048-bit generation is slow)."""
    if kid not in _KEYS:
        _KEYS[kid] = _generate(kid)
    return _KEYS[kid]


def _generate(kid: str) -> JWK:
    key = JWK.generate(kty="RSA", size=2048)
    exported = json.loads(key.export(private_key=True))
    exported["kid"] = kid
    return JWK(**exported)


@dataclass
class Received:
    method: str
    path: str
    headers: dict
    body: str

    def json(self):
        return json.loads(self.body)

    def form(self) -> dict:
        return {k: v[0] for k, v in parse_qs(self.body).items()}


@dataclass
class Platform:
    client_id: str = "lectio-client"
    deployment_id: str = "deployment-1"
    context_id: str = "course-101"
    context_title: str = "History 101"
    key: JWK = field(default_factory=lambda: new_key("platform-key-1"))
    members: list = field(default_factory=list)
    score_failures: int = 0          # answer this many score POSTs with HTTP 500 first
    members_page_size: int = 0       # 0: one page
    received: list[Received] = field(default_factory=list)
    auth_requests: list[dict] = field(default_factory=list)
    tool_launch_url: str = ""
    host: str = "127.0.0.1"          # the name in the platform's URLs (browsers: localhost)

    def start(self) -> Platform:
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep the test output quiet
                pass

            def _send(self, status: int, body, content_type="application/json", headers=None):
                data = body if isinstance(body, bytes) else (
                    body.encode() if isinstance(body, str) else json.dumps(body).encode())
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def _record(self, body: str = "") -> Received:
                item = Received(self.command, self.path, dict(self.headers), body)
                platform.received.append(item)
                return item

            def do_GET(self):
                self._record()
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                if parts.path == "/jwks":
                    return self._send(200, {"keys": [platform.public_jwk()]})
                if parts.path == "/auth":
                    platform.auth_requests.append(query)
                    return self._send(200, platform.auth_response_page(query), "text/html")
                if parts.path == "/start":
                    return self._send(200, platform.start_page(query), "text/html")
                if parts.path == "/frame":
                    return self._send(200, platform.frame_page(query), "text/html")
                if parts.path.startswith("/nrps"):
                    return platform.nrps_page(self, query)
                return self._send(404, {"error": "not found"})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                self._record(body)
                path = urlsplit(self.path).path
                if path == "/token":
                    return self._send(200, {"access_token": f"token-{uuid.uuid4().hex}",
                                            "token_type": "Bearer", "expires_in": 3600})
                if path.endswith("/scores"):
                    failed = sum(1 for r in platform.received if r.path.endswith("/scores"))
                    if failed <= platform.score_failures:
                        return self._send(500, {"error": "temporarily unavailable"})
                    return self._send(200, {})
                if path == "/deep-link-return":
                    return self._send(200, "<p>Deep link received</p>", "text/html")
                return self._send(404, {"error": "not found"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    # --- addresses ---------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.server.server_address[1]}"

    @property
    def issuer(self) -> str:
        return self.url

    def public_jwk(self, key: JWK | None = None) -> dict:
        public = json.loads((key or self.key).export_public())
        public.update(alg="RS256", use="sig")
        return public

    def lineitem_url(self, n: int = 1) -> str:
        return f"{self.url}/lineitems/{n}"

    # --- tokens ------------------------------------------------------------------------
    def claims(self, *, sub: str = "student-1", roles=(LEARNER,), nonce: str = "",
               message_type: str = "LtiResourceLinkRequest", resource_link: str = "link-1",
               custom: dict | None = None, lineitem: str | None = None, **extra) -> dict:
        now = int(time.time())
        body = {
            "iss": self.issuer, "aud": self.client_id, "sub": sub, "nonce": nonce,
            "iat": now, "exp": now + 300,
            "given_name": sub.title(), "family_name": "Tester", "name": f"{sub.title()} Tester",
            "email": f"{sub}@school.example",
            LTI + "message_type": message_type, LTI + "version": "1.3.0",
            LTI + "deployment_id": self.deployment_id, LTI + "roles": list(roles),
            LTI + "context": {"id": self.context_id, "title": self.context_title,
                              "label": "HIST101"},
            LTI + "target_link_uri": self.tool_launch_url,
            LTI + "launch_presentation": {"document_target": "iframe",
                                          "return_url": f"{self.url}/return"},
            LTI + "tool_platform": {"guid": "platform-guid", "name": "Simulated LMS",
                                    "url": self.url},
            "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice": {
                "context_memberships_url": f"{self.url}/nrps/{self.context_id}",
                "service_versions": ["2.0"]},
            "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": {
                "scope": AGS_SCOPES, "lineitems": f"{self.url}/lineitems"},
        }
        if message_type == "LtiResourceLinkRequest":
            body[LTI + "resource_link"] = {"id": resource_link, "title": "A Lectio link"}
        else:
            body["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"] = {
                "deep_link_return_url": f"{self.url}/deep-link-return",
                "accept_types": ["ltiResourceLink"],
                "accept_presentation_document_targets": ["iframe", "window"],
                "accept_multiple": True, "data": "platform-opaque-data"}
        if custom:
            body[LTI + "custom"] = custom
        if lineitem:
            body["https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"]["lineitem"] = lineitem
        body.update(extra)
        return body

    def sign(self, claims: dict, key: JWK | None = None, kid: str | None = None) -> str:
        key = key or self.key
        pem = key.export_to_pem(private_key=True, password=None)
        return jwt.encode(claims, pem, algorithm="RS256",
                          headers={"kid": kid or json.loads(key.export_public())["kid"]})

    # --- pages for the browser ---------------------------------------------------------
    def start_page(self, query: dict) -> str:
        """The platform page whose link starts a launch: a form to Lectio's login URL."""
        params = {"iss": self.issuer, "login_hint": query.get("sub", "student-1"),
                  "target_link_uri": self.tool_launch_url, "client_id": self.client_id,
                  "lti_deployment_id": self.deployment_id,
                  "lti_message_hint": json.dumps(query)}
        fields = "".join(f'<input type="hidden" name="{k}" value="{html.escape(v)}">'
                         for k, v in params.items())
        return (f'<!doctype html><title>LMS</title><form id="f" method="post" '
                f'action="{html.escape(query["login_url"])}">{fields}'
                f'<button>Open Lectio</button></form>'
                '<script>document.getElementById("f").submit()</script>')

    def frame_page(self, query: dict) -> str:
        src = f"{self.url}/start?{urlencode(query)}"
        return (f'<!doctype html><title>LMS course</title><h1>LMS course</h1>'
                f'<iframe id="tool" title="Lectio" src="{html.escape(src)}" '
                f'width="1000" height="800"></iframe>')

    def auth_response_page(self, query: dict) -> str:
        """The OIDC authorisation endpoint: a signed id_token posted back to Lectio."""
        hint = json.loads(query.get("lti_message_hint") or "{}")
        roles = [INSTRUCTOR] if hint.get("role") == "instructor" else [LEARNER]
        message_type = hint.get("message_type", "LtiResourceLinkRequest")
        custom = json.loads(hint["custom"]) if hint.get("custom") else None
        token = self.sign(self.claims(sub=query["login_hint"], roles=roles,
                                      nonce=query["nonce"], message_type=message_type,
                                      custom=custom, lineitem=hint.get("lineitem"),
                                      resource_link=hint.get("resource_link", "link-1")))
        return (f'<!doctype html><title>Signing in</title><form id="f" method="post" '
                f'action="{html.escape(query["redirect_uri"])}">'
                f'<input type="hidden" name="id_token" value="{token}">'
                f'<input type="hidden" name="state" value="{html.escape(query["state"])}">'
                '</form><script>document.getElementById("f").submit()</script>')

    # --- services ----------------------------------------------------------------------
    def nrps_page(self, handler, query: dict):
        members = self.members
        page = int(query.get("page", "1"))
        headers = {}
        if self.members_page_size:
            start = (page - 1) * self.members_page_size
            chunk = members[start:start + self.members_page_size]
            if start + self.members_page_size < len(members):
                # pylti1p3 lower-cases the next-page link, so keep it lower case.
                headers["Link"] = (f'<{self.url}/nrps/{self.context_id}?page={page + 1}>; '
                                   'rel="next"')
        else:
            chunk = members
        body = {"id": f"{self.url}/nrps/{self.context_id}",
                "context": {"id": self.context_id, "title": self.context_title},
                "members": chunk}
        handler._send(200, body, "application/vnd.ims.lti-nrps.v2.membershipcontainer+json",
                      headers)

    def scores(self) -> list[Received]:
        return [r for r in self.received if r.method == "POST" and r.path.endswith("/scores")]

    def tokens(self) -> list[Received]:
        return [r for r in self.received if r.method == "POST" and r.path == "/token"]


def member(sub: str, roles=(LEARNER,), status: str = "Active", **extra) -> dict:
    return {"user_id": sub, "roles": list(roles), "status": status,
            "given_name": sub.title(), "family_name": "Member", "name": f"{sub.title()} Member",
            "email": f"{sub}@school.example", **extra}
