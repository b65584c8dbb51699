"""Single sign-on for staff: an identity provider's claims mapped to an existing account.

An identity opens a staff session only through an account that already exists (its user
name equal to the verified e-mail); the mapping creates and writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from intake.access.auth import Accounts, Principal, Role


class Refusal(StrEnum):
    """Why a verified identity from the identity provider does not open a staff session."""

    NOT_SIGNED_IN = "not_signed_in"
    NO_EMAIL = "no_email"
    EMAIL_UNVERIFIED = "email_unverified"
    UNKNOWN_ACCOUNT = "unknown_account"
    AMBIGUOUS_ACCOUNT = "ambiguous_account"


def _claim_true(value: object) -> bool:
    # Some providers (e.g. AWS Cognito) send booleans as the strings "true"/"false".
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def identity_email(claims: Mapping[str, Any]) -> str | Refusal:
    """The verified e-mail address of an OIDC identity (lower-cased), or why there is none."""
    if not _claim_true(claims.get("is_logged_in")):
        return Refusal.NOT_SIGNED_IN
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email.strip():
        return Refusal.NO_EMAIL
    # Only when the provider states it: many enterprise providers (Entra ID) never
    # send the claim because they only issue identities for addresses they own.
    if "email_verified" in claims and not _claim_true(claims["email_verified"]):
        return Refusal.EMAIL_UNVERIFIED
    return email.strip().lower()


def map_identity(claims: Mapping[str, Any], accounts: Accounts) -> Principal | Refusal:
    """The staff principal an identity provider's claims (`st.user`) map to, or a refusal.

    Only an existing, active coordinator or admin account whose user name equals
    the verified e-mail (case-insensitive) gets in, with that account's role.
    Nothing is created and nothing is written.
    """
    email = identity_email(claims)
    if isinstance(email, Refusal):
        return email
    matches = accounts.find_by_email(email)
    if len(matches) > 1:
        # Two accounts differing only in letter case: refuse rather than guess whose role applies.
        return Refusal.AMBIGUOUS_ACCOUNT
    if not matches or matches[0].role is Role.PATIENT:
        return Refusal.UNKNOWN_ACCOUNT
    return Principal(matches[0].username, matches[0].role)
