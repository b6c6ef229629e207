from datetime import UTC, datetime

from ideation import create_app
from ideation.shared.i18n import local_to_utc, utc_to_local
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
