import secrets

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from ..core.languages import in_operator_language
from ..core.time import utcnow
from ..extensions import db
from . import services


@click.command("create-staff")
@click.argument("email")
@click.option("--name", default=None, help="Full name (defaults to the e-mail's local part).")
@click.option("--password", default=None, help="Password; when left out a random one is printed.")
@with_appcontext
@in_operator_language
def create_staff(email, name, password):
    """Create a staff account, or make an existing account staff."""
    user = services.find_user(email)
    if user:
        user.is_staff = True
        user.email_verified_at = user.email_verified_at or utcnow()  # whoever runs the CLI vouches for it
        db.session.commit()
        click.echo(_("%(email)s is now staff.", email=user.email))
        return
    generated = password is None
    password = password or secrets.token_urlsafe(12)
    user = services.create_user(email=email, name=name or email.split("@")[0], password=password,
                                hash_method=current_app.config["PASSWORD_HASH_METHOD"], is_staff=True,
                                verified=True)
    db.session.commit()
    click.echo(_("Staff account %(email)s created.", email=user.email)
               + (" " + _("Password: %(password)s", password=password) if generated else ""))
