"""Pages of accounts: login and logout, my desk, password, language, organisations and members.

Views are thin: load and authorise, call one operation, commit once, render or redirect.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_limiter import RequestLimit
from flask_login import current_user, login_required, login_user, logout_user
from limits import RateLimitItemPerSecond
from sqlalchemy import select

from accounts import audit, notices, operations, tokens
from accounts.database import utcnow
from accounts.dates import show_datetime
from accounts.forms import (
    LANGUAGES,
    ConfirmForm,
    InviteForm,
    LanguageForm,
    LoginForm,
    MembershipForm,
    NewAccountForm,
    PasswordChangeForm,
    TokenForm,
)
from accounts.hooks import desk_items, org_links
from accounts.models import ApiToken, Invitation, Membership, Organisation, Role, User
from accounts.permissions import (
    can_manage_members,
    load_invitation,
    load_membership,
    load_org,
    load_org_to_manage,
)
from accounts.refusals import Refused
from extensions import db, limiter

bp = Blueprint("accounts", __name__)

#: the cookie that remembers the language of someone not logged in
LOCALE_COOKIE = "locale"


def acting_user() -> User:
    """The logged-in user itself, not Flask-Login's proxy: operations and `login_user` need the object."""
    return current_user._get_current_object()  # type: ignore[attr-defined]


def safe_next(target: str | None, default: str) -> str:
    """`target` when it is a path on this site, else `default`: no open redirects."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def _login_throttle_key() -> str:
    """Failed logins are counted per e-mail address and client address."""
    email = operations.normalise_email(request.form.get("email", ""))
    return f"{email}|{request.remote_addr}"


def _login_failed(_response: object) -> bool:
    return bool(g.get("login_failed"))


def _record_throttled_login(breached: RequestLimit) -> None:
    """Leave one `login_throttled` entry per limit's key (e-mail and address, or address) per window.

    A flood of throttled POSTs must not become a flood of audit appends, each of which waits for the
    chain's lock: a second counter in the limiter's own storage, one hit allowed per window of the
    breached limit, lets only the first through. Whatever fails here is logged, never raised:
    Flask-Limiter would answer a callback's error with a 500 (or take it for its storage failing and
    count in memory for the request), and the client must get its 429 either way.
    """
    try:
        once = RateLimitItemPerSecond(1, breached.limit.get_expiry(), namespace="AUDIT")
        if not breached.limiter.hit(once, *breached.request_args):
            return
        audit.record(
            "login_throttled",
            None,
            details={
                "email": operations.normalise_email(request.form.get("email", "")),
                "limit": str(breached.limit),
            },
        )
        db.session.commit()
    except Exception:
        current_app.logger.exception("could not record a throttled login in the audit log")
        with contextlib.suppress(Exception):
            db.session.rollback()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT"],
    key_func=_login_throttle_key,
    methods=["POST"],
    deduct_when=_login_failed,
    scope="login-email",
    on_breach=_record_throttled_login,
)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"],
    methods=["POST"],
    deduct_when=_login_failed,
    scope="login-address",
    on_breach=_record_throttled_login,
)
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for(".desk"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        user = operations.authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            audit.record("login", user, subject=user)
            db.session.commit()
            login_user(user)
            return redirect(safe_next(form.next.data, url_for(".desk")))
        # no change to commit with it: the attempt is a unit of work of its own (never the password)
        audit.record(
            "login_failed", None, details={"email": operations.normalise_email(form.email.data or "")}
        )
        db.session.commit()
        g.login_failed = True
        form.password.errors.append(_("The e-mail address or the password is not correct."))
        return render_template("accounts/login.html", form=form), 200
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    operations.end_sessions(acting_user())
    audit.record("logout", acting_user(), subject=acting_user())
    db.session.commit()
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for(".login"))


@bp.route("/")
@login_required
def desk() -> ResponseReturnValue:
    user = acting_user()
    if user.is_admin:
        orgs = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    else:
        orgs = [m.org for m in user.memberships]
    return render_template(
        "accounts/desk.html",
        orgs=orgs,
        waiting=desk_items(user),
        memberships=user.memberships,
        recent_notices=notices.recent_notices(user),
    )


@bp.get("/favicon.ico")
def favicon() -> ResponseReturnValue:
    """Browsers ask for /favicon.ico whatever a page links: send them to the icon in static/."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> ResponseReturnValue:
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            operations.change_password(acting_user(), form.current_password.data, form.new_password.data)
        except Refused as refused:
            # the refused verb changed nothing; a wrong current password left an audit entry to keep
            db.session.commit()
            form.current_password.errors.append(refused.message)
        else:
            db.session.commit()
            login_user(acting_user())  # this browser keeps going with the new session token
            flash(_("Your password is changed. Other sessions have ended."), "success")
            return redirect(url_for(".desk"))
    return render_template("accounts/password.html", form=form)


@bp.get("/account")
@login_required
def account() -> ResponseReturnValue:
    return _account_page(TokenForm(formdata=None))


def _account_page(
    form: TokenForm, issued: tokens.IssuedToken | None = None, status: int = 200
) -> ResponseReturnValue:
    """The account page: the API tokens (the one just made shown once, never stored or flashed)."""
    page = render_template(
        "accounts/account.html",
        form=form,
        tokens=tokens.tokens_of(acting_user()),
        issued=issued,
        notice_categories=notices.CATEGORIES,
        notices_enabled=notices.enabled_categories(acting_user()),
    )
    response = make_response(page, status)
    if issued is not None:
        response.headers["Cache-Control"] = "no-store"  # the token must not stay in a cache
    return response


@bp.post("/account/tokens")
@login_required
def create_token() -> ResponseReturnValue:
    form = TokenForm()
    if not form.validate_on_submit():
        return _account_page(form, status=400)
    try:
        issued = tokens.create_token(acting_user(), acting_user(), form.name.data or "", now=utcnow())
    except Refused as refused:
        db.session.rollback()
        form.name.errors = [refused.message]
        return _account_page(form, status=422)
    db.session.commit()
    return _account_page(TokenForm(formdata=None), issued=issued)


@bp.post("/account/notices")
@login_required
def set_notice_preferences() -> ResponseReturnValue:
    """The categories of e-mail notice the user keeps (a checkbox each; the unchecked are turned off)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    notices.set_preferences(acting_user(), acting_user(), request.form.getlist("category"))
    db.session.commit()
    flash(_("Your notice settings are saved."), "success")
    return redirect(url_for(".account") + "#notices")


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int) -> ResponseReturnValue:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != acting_user().id:
        abort(404)
    tokens.revoke_token(acting_user(), token, now=utcnow())
    db.session.commit()
    flash(_("The token “%(name)s” is revoked: it no longer works.", name=token.name), "success")
    return redirect(url_for(".account"))


@bp.post("/language")
def set_language() -> ResponseReturnValue:
    form = LanguageForm()
    if not form.validate_on_submit() or form.locale.data not in LANGUAGES:
        abort(400)
    locale = form.locale.data
    if current_user.is_authenticated:
        operations.set_locale(acting_user(), locale)
        db.session.commit()
    response = make_response(redirect(safe_next(form.next.data, url_for(".desk"))))
    response.set_cookie(
        LOCALE_COOKIE,
        locale,
        max_age=365 * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


@bp.route("/orgs/<int:org_id>")
@login_required
def org_page(org_id: int) -> ResponseReturnValue:
    org = load_org(org_id, current_user)
    return render_template(
        "accounts/org.html",
        org=org,
        can_manage=can_manage_members(current_user, org),
        links=org_links(org, current_user),
    )


@bp.route("/orgs/<int:org_id>/members")
@login_required
def members(org_id: int) -> ResponseReturnValue:
    org = load_org_to_manage(org_id, current_user)
    return _members_page(org, _blank_invite_form(org))


def _blank_invite_form(org: Organisation) -> InviteForm:
    """An empty invitation form: a voting member in an association, a reviewer in an agency."""
    role = Role.MEMBER if Role.MEMBER in org.roles else org.roles[0]
    return InviteForm(org, formdata=None, role=role, voting=role == Role.MEMBER)


def _members_page(org: Organisation, invite_form: InviteForm, status: int = 200) -> ResponseReturnValue:
    now = utcnow()
    invitations = db.session.scalars(
        select(Invitation).where(Invitation.org_id == org.id).order_by(Invitation.created_at.desc())
    ).all()
    # formdata=None: after a POST (an invitation) these forms must show the stored values
    forms = {m.id: MembershipForm(org, formdata=None, obj=m, prefix=f"m{m.id}") for m in org.memberships}
    return (
        render_template(
            "accounts/members.html",
            org=org,
            invite_form=invite_form,
            membership_forms=forms,
            confirm_form=ConfirmForm(),
            pending=[i for i in invitations if i.is_pending(now)],
            issued_link=g.get("issued_link"),
        ),
        status,
    )


def invitation_url(token: str) -> str:
    """The link sent to the invited person: built from BASE_URL, never from the request's Host."""
    return current_app.config["BASE_URL"].rstrip("/") + url_for("accounts.accept_invitation", token=token)


@bp.post("/orgs/<int:org_id>/invitations")
@login_required
def invite(org_id: int) -> ResponseReturnValue:
    org = load_org_to_manage(org_id, current_user)
    form = InviteForm(org)
    if form.validate_on_submit():
        try:
            issued = operations.invite(
                acting_user(),
                org,
                form.email.data,
                form.role.data,
                voting=form.voting.data,
                weight=form.weight.data,
                now=utcnow(),
                valid_for=timedelta(days=current_app.config["INVITATION_DAYS"]),
            )
        except Refused as refused:
            form.email.errors.append(refused.message)
        else:
            db.session.commit()
            g.issued_link = invitation_url(issued.token)
            flash(_("Invitation created for %(email)s.", email=issued.invitation.email), "success")
            if issued.replaced:
                earlier = show_datetime(issued.replaced[0].created_at)
                flash(
                    _(
                        "The earlier invitation for %(email)s, created %(date)s, is withdrawn: only the new link works.",
                        email=issued.invitation.email,
                        date=earlier,
                    ),
                    "info",
                )
            return _members_page(org, _blank_invite_form(org))
    return _members_page(org, form, status=400)


@bp.post("/orgs/<int:org_id>/invitations/<int:invitation_id>/withdraw")
@login_required
def withdraw_invitation(org_id: int, invitation_id: int) -> ResponseReturnValue:
    org = load_org_to_manage(org_id, current_user)
    invitation = load_invitation(org, invitation_id)
    try:
        operations.revoke_invitation(acting_user(), invitation, now=utcnow())
    except Refused as refused:
        flash(refused.message, "error")
    else:
        db.session.commit()
        flash(_("The invitation is withdrawn."), "success")
    return redirect(url_for(".members", org_id=org.id))


@bp.post("/orgs/<int:org_id>/members/<int:membership_id>")
@login_required
def change_membership(org_id: int, membership_id: int) -> ResponseReturnValue:
    org = load_org_to_manage(org_id, current_user)
    membership = load_membership(org, membership_id)
    form = MembershipForm(org, prefix=f"m{membership.id}")
    if not form.validate_on_submit():
        flash(_("The change was not saved: check the role and the weight."), "error")
        return redirect(url_for(".members", org_id=org.id))
    try:
        operations.change_membership(
            acting_user(), membership, form.role.data, voting=form.voting.data, weight=form.weight.data
        )
    except Refused as refused:
        db.session.rollback()
        flash(refused.message, "error")
    else:
        db.session.commit()
        flash(_("Saved the membership of %(name)s.", name=membership.user.name), "success")
    return redirect(url_for(".members", org_id=org.id))


@bp.post("/orgs/<int:org_id>/members/<int:membership_id>/remove")
@login_required
def remove_member(org_id: int, membership_id: int) -> ResponseReturnValue:
    org = load_org_to_manage(org_id, current_user)
    membership: Membership = load_membership(org, membership_id)
    name = membership.user.name
    try:
        operations.remove_member(acting_user(), membership)
    except Refused as refused:
        db.session.rollback()
        flash(refused.message, "error")
    else:
        db.session.commit()
        flash(_("%(name)s is no longer a member.", name=name), "success")
    return redirect(url_for(".members", org_id=org.id))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token: str) -> ResponseReturnValue:
    invitation = operations.find_invitation(token)
    if invitation is None:
        abort(404)
    try:
        operations.check_invitation(invitation, now=utcnow())
    except Refused as unusable:
        page = render_template(
            "errors/error.html", code=410, title=_("Invitation unusable"), message=unusable.message
        )
        return page, 410

    user = acting_user() if current_user.is_authenticated else None
    if user is not None and user.email != invitation.email:
        return render_template("accounts/invitation.html", invitation=invitation, wrong_user=True), 403
    if user is not None and user.membership_in(invitation.org) is not None:
        already = operations.already_a_member_message(invitation.org)
        return render_template("accounts/invitation.html", invitation=invitation, already_member=already), 409
    if user is None and operations.find_user_by_email(invitation.email) is not None:
        flash(_("You already have an account: log in, then open the link again."), "info")
        return redirect(url_for(".login", next=request.path))

    form = ConfirmForm() if user is not None else NewAccountForm()
    if isinstance(form, NewAccountForm) and request.method == "GET" and invitation.name:
        form.name.data = invitation.name  # the name the secretariat's member list gave
    if form.validate_on_submit():
        new_account = form if isinstance(form, NewAccountForm) else None
        try:
            membership = operations.accept_invitation(
                invitation,
                user=user,
                name=new_account.name.data if new_account else None,
                password=new_account.password.data if new_account else None,
                now=utcnow(),
            )
        except Refused as refused:
            db.session.rollback()
            flash(refused.message, "error")
        else:
            db.session.commit()
            if user is None:
                login_user(membership.user)
            flash(_("Welcome to %(org)s.", org=membership.org.name), "success")
            return redirect(url_for(".org_page", org_id=membership.org_id))
    return render_template("accounts/invitation.html", invitation=invitation, form=form, wrong_user=False)
