"""GET /api/v1/calendar/workdays: working days on the official calendar
(data/cn-holidays.csv), as the public notice of SPEC §7 will count them."""
from conftest import assert_error


def workdays(server, **q):
    return server.client().get("/api/v1/calendar/workdays", params=q)


def test_five_working_days_skip_national_day_and_count_the_worked_sunday(server):
    r = workdays(server, **{"from": "2019-09-27", "n": 5})
    assert r.status_code == 200, r.text
    body = r.json()
    # 29 Sept 2019 was a Sunday worked in exchange; 1–7 Oct were off
    assert body["days"] == ["2019-09-29", "2019-09-30", "2019-10-08", "2019-10-09", "2019-10-10"]
    assert body["until"] == "2019-10-10" and body["n"] == 5


def test_an_ordinary_week_and_the_spring_festival(server):
    assert workdays(server, **{"from": "2019-07-01"}).json()["until"] == "2019-07-08"
    # 春节 2020: 24 Jan – 2 Feb off (extended), so after 23 Jan the next is 3 Feb
    days = workdays(server, **{"from": "2020-01-23", "n": 1}).json()["days"]
    assert days == ["2020-02-03"], days


def test_bad_input_is_refused_with_the_field_named(server):
    assert_error(workdays(server), 422, None, "from")
    assert_error(workdays(server, **{"from": "2019-02-30"}), 422, None, "from")
    assert_error(workdays(server, **{"from": "2019-07-01", "n": 0}), 422, None, "n")
    assert_error(workdays(server, **{"from": "2019-07-01", "n": "x"}), 422, None, "n")
    # years whose holidays are not yet published are not guessed
    assert_error(workdays(server, **{"from": "2026-12-28", "n": 10}), 422,
                 "calendar_not_published", "from")


def test_a_year_before_the_first_notice_is_not_guessed(server):
    # The file opens with 2017-12-30/31, the start of 2018's New Year
    # holiday; 2017's own holidays (National Day) are not in it.
    r = workdays(server, **{"from": "2017-09-29", "n": 5})
    assert_error(r, 422, "calendar_not_published", "from")
    assert "2018 年以前" in r.json()["error"]["message"]
    assert workdays(server, **{"from": "2018-09-28", "n": 1}).json()["days"] == ["2018-09-29"]
