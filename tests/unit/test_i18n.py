from datetime import UTC, datetime

from flask_babel import force_locale

from ideation import create_app
from ideation.shared.i18n import local_to_utc, request_translations, utc_to_local
from tests.conftest import _config_for


def test_dates_typed_in_sao_paulo_use_todays_offset(database_url):
    class SaoPaulo(_config_for(database_url)):
        BABEL_DEFAULT_TIMEZONE = "America/Sao_Paulo"

    with create_app(SaoPaulo).test_request_context():
        typed = datetime(2030, 5, 1, 9, 0)
        stored = local_to_utc(typed)
        assert stored == datetime(2030, 5, 1, 12, 0, tzinfo=UTC)
        assert utc_to_local(stored) == typed


def test_no_date_stays_none(app):
    with app.test_request_context():
        assert local_to_utc(None) is None
        assert utc_to_local(None) is None


def test_template_translations_follow_a_language_changed_within_a_request(app):
    """Looked up once per language, not once per request: force_locale and
    refresh() (a new Locale object) switch the catalogue at once."""
    with app.test_request_context("/", headers={"Accept-Language": "es"}):
        assert request_translations().ugettext("Propose an idea") == "Proponer una idea"
        with force_locale("pt_BR"):
            assert (
                request_translations().ugettext("Propose an idea") == "Propor uma ideia"
            )
        assert request_translations().ugettext("Propose an idea") == "Proponer una idea"
