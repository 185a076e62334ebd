"""What to tell a person whose launch was refused. Pure: no ORM.

pylti1p3 raises LtiException/OIDCException with short technical messages; each is turned
into a title and an explanation a student or an LMS administrator can act on. The technical
message is shown too (escaped), because it is what the platform's administrator needs.
"""

from __future__ import annotations

from dataclasses import dataclass

AGAIN = "Go back to your course in the learning platform and open the link again."


@dataclass(frozen=True)
class Refusal:
    status: int
    title: str
    explanation: str
    advice: str = AGAIN
    detail: str = ""


# (words in the library's message, status, title, explanation, advice)
_RULES = [
    (("invalid nonce", "nonce already used", '"nonce" is empty'), 403,
     "This sign-in has already been used",
     "Each link from the learning platform signs you in once. This one was used already, "
     "or it waited too long.", AGAIN),
    (("state not found", "missing state", "missing %s cookie", "missing lti1p3"), 403,
     "Your browser did not keep Lectio's sign-in cookie",
     "Lectio sets a short-lived cookie when the platform starts the sign-in, and needs it "
     "back a moment later. Browsers that block cookies in embedded pages drop it.",
     "Open the link again; if it fails again, choose to open Lectio in a new window or "
     "tab in the platform's settings for this link, or allow cookies for this site."),
    (("signature has expired", "expired", "no expiry", "not yet valid"), 403,
     "This sign-in has expired",
     "The platform's sign-in message is valid for a few minutes only, and this one is "
     "older, or the clocks of the platform and Lectio disagree.", AGAIN),
    (("signature verification failed", "unable to find public key", "can't decode",
      "invalid id_token", "invalid jwt", "jwt kid", "jwt alg", "can't convert jwt key"), 403,
     "This sign-in could not be verified",
     "The platform's message is not signed with a key the platform publishes, so Lectio "
     "cannot tell it came from your school's platform.",
     "Ask your platform's administrator to check the key set URL registered in Lectio."),
    (("registration not found", "could not find registration", "client id not registered",
      "could not find issuer"), 403,
     "This learning platform is not registered with Lectio",
     "Lectio only accepts sign-ins from platforms a site administrator has registered, "
     "with the issuer and client id the platform uses.",
     "Ask your platform's administrator to register it in Lectio (Admin → LTI registrations) "
     "with the values shown on Lectio's LTI setup page."),
    (("unable to find deployment", "deployment_id is not set", "deployment is not active"),
     403, "This deployment of Lectio is not registered",
     "The platform sent a deployment id that Lectio does not know, or that a site "
     "administrator has not activated.",
     "Ask your platform's administrator to add the deployment id to the registration in "
     "Lectio and mark it active."),
    (("missing id_token", "could not find login hint", "missing target_link_uri",
      "no launch url", "message validation failed", "unrecognized message type",
      "invalid message type", "validator conflict"), 400,
     "This is not a complete sign-in request",
     "Lectio received a request that is missing parts of an LTI 1.3 sign-in.", AGAIN),
    (("error during fetch url", "invalid response from"), 502,
     "The learning platform did not answer",
     "Lectio could not read the platform's public keys to check the sign-in.",
     "Try again in a minute; if it keeps failing, ask your platform's administrator."),
]


def refusal_for(message: str) -> Refusal:
    """The refusal to show for a pylti1p3 error message."""
    lowered = message.lower()
    for words, status, title, explanation, advice in _RULES:
        if any(word in lowered for word in words):
            return Refusal(status, title, explanation, advice, message)
    return Refusal(400, "Lectio could not open this link",
                   "The sign-in from the learning platform was not accepted.", AGAIN, message)
