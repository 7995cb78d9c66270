"""Benchmark of the supervision dashboard and of the flag job (issue 17).

    .venv/bin/python bench/supervision_dashboard.py --database-url postgresql://127.0.0.1:5432/bench_supervision \
        [--decisions 10000000] [--days 365] [--provinces 60] [--locals 10] [--requests 200] [--day-decisions 27400]

It migrates the given (scratch) database, loads the demo offices, adds provinces × locals offices with five reception
officers each, and fills the rollup tables with what `--decisions` decisions over `--days` days leave there (office and
officer grains, rejection reasons, complaint categories and triage, a backlog snapshot by age and its deadline rows;
declarations, reissue requests and complaint answers in the shares of `MIX`): the dashboard reads only those, never
the raw tables, so the raw decisions themselves need not exist for the page's cost. It then requests the national
supervisor's dashboard over the whole period in-process (the Flask test client: the view, the rollup queries and the
template, no HTTP server) and prints p50/p95/p99 and the rows behind it.

Then the flag job: `--day-decisions` decisions of one new day (declarations, their claim and decision audit entries,
written by SQL with placeholder hashes: the bench database's audit chain is not a real one) and the cost of the
rollup refresh and of the anomaly flags over that day.
"""
import argparse
import os
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "bench-mat-khau-2026"


def parse():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--decisions", type=int, default=10_000_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--provinces", type=int, default=60)
    parser.add_argument("--locals", type=int, default=10, help="local offices per province")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--day-decisions", type=int, default=27_400, help="decisions of the new day (flag job)")
    parser.add_argument("--reuse", action="store_true", help="keep the rollups of an earlier run; skip the flag job")
    parser.add_argument("--add-all-types", action="store_true",
                        help="with --reuse: add the all-types subtree rows to rollups loaded before they existed")
    return parser.parse_args()


def build_offices(db, text, provinces, locals_):
    """Provinces under the national office, local offices under each, five reception officers per local office."""
    db.session.execute(text("""
        INSERT INTO offices (code, name, level, parent_id, path, address, phone, email)
        SELECT lpad((10000 + p)::text, 5, '0'), 'BHXH tỉnh thử ' || p, 'provincial', n.id,
               n.path || lpad((10000 + p)::text, 5, '0') || '/', '', '', ''
        FROM generate_series(1, :provinces) p, offices n WHERE n.code = '00001'
        ON CONFLICT (code) DO NOTHING"""), {"provinces": provinces})
    db.session.execute(text("""
        INSERT INTO offices (code, name, level, parent_id, path, address, phone, email)
        SELECT lpad((20000 + p * 100 + l)::text, 5, '0'), 'BHXH huyện thử ' || p || '.' || l, 'local', o.id,
               o.path || lpad((20000 + p * 100 + l)::text, 5, '0') || '/', '', '', ''
        FROM generate_series(1, :provinces) p, generate_series(1, :locals) l
        JOIN offices o ON true WHERE o.code = lpad((10000 + p)::text, 5, '0')
        ON CONFLICT (code) DO NOTHING"""), {"provinces": provinces, "locals": locals_})
    db.session.execute(text("""
        INSERT INTO officers (username, full_name, email, password_hash, role, office_id, active, must_change_password,
                              created_at)
        SELECT 'bench.tn.' || o.code || '.' || k, 'Cán bộ thử ' || o.code || '.' || k, '', h.password_hash,
               'reception_officer', o.id, true, false, now() - interval '2 years'
        FROM offices o, generate_series(1, 5) k, (SELECT password_hash FROM officers LIMIT 1) h
        WHERE o.level = 'local' AND o.code >= '20000'
        ON CONFLICT (username) DO NOTHING"""))
    db.session.commit()


# The case types' shares of the decisions (department, case type, share): declarations at the reception desk, the
# reissue services in the card and benefits departments, complaint answers in the departments they are routed to.
MIX = (("TIEP_NHAN", "declaration", 0.70), ("THU_SO_THE", "reissue", 0.15), ("CS_BHXH", "reissue", 0.05),
       ("THU_SO_THE", "complaint", 0.04), ("CS_BHXH", "complaint", 0.03), ("CS_BHYT", "complaint", 0.02),
       ("CNTT", "complaint", 0.01))
# complaint categories (category, department, share of a department's complaints, share sent to triage)
CATEGORY_MIX = (("personal_info", "THU_SO_THE", 0.4, 0.2), ("contribution_history", "THU_SO_THE", 0.35, 0.3),
                ("health_card_info", "THU_SO_THE", 0.25, 0.1), ("benefits", "CS_BHXH", 1.0, 0.25),
                ("medical_care", "CS_BHYT", 1.0, 0.15), ("app_technical", "CNTT", 1.0, 0.05))


# each subtree's day over all departments and case types (officer_id -2, department and case type "*"), as the
# rollup refresh keeps it: the by-office table of a national year reads these
ALL_TYPES_SUBTREE = """
    INSERT INTO rollup_daily (day, office_id, department, case_type, officer_id, received, decided, approved,
                              rejected, over_failing, {counters})
    SELECT r.day, r.office_id, '*', '*', -2, {sums}
    FROM rollup_daily r WHERE r.officer_id = -1 GROUP BY r.day, r.office_id"""


def _values(rows):
    return ", ".join("(" + ", ".join(repr(v) for v in row) + ")" for row in rows)


def fill_rollups(db, text, decisions, days, last_day):
    """Rollup rows as `decisions` decisions over `days` days leave them, every case type in its share (MIX): office
    totals, officers, reasons, complaint categories and triage, the backlog by age and the deadline rows."""
    for table in ("rollup_daily", "rollup_reasons", "rollup_backlog"):
        db.session.execute(text(f"TRUNCATE {table}"))
    offices = db.session.execute(text("SELECT count(*) FROM offices WHERE level = 'local'")).scalar()
    per_office_day = max(1, decisions // (offices * days))
    counters = ", ".join(f"t{i}" for i in range(13))
    buckets = ", ".join(f"(d * {w})::int" for w in (0, 0.05, 0.1, 0.2, 0.25, 0.15, 0.1, 0.08, 0.04, 0.02, 0.01, 0, 0))
    # office grain (officer 0), one row per day x (department, case type) of MIX, then each officer's own rows:
    # decisions split five ways
    db.session.execute(text(f"""
        INSERT INTO rollup_daily (day, office_id, department, case_type, officer_id, received, decided, approved,
                                  rejected, over_failing, {counters})
        SELECT day, o.id, m.department, m.case_type, 0, d + 1, d, (d * 0.8)::int, d - (d * 0.8)::int, d / 50,
               {buckets}
        FROM offices o, generate_series(:first, :last, interval '1 day') day,
             (VALUES {_values(MIX)}) m(department, case_type, share),
             LATERAL (SELECT round(:per * m.share * (0.85 + random() * 0.3))::int AS d) x
        WHERE o.level = 'local'"""), {"first": last_day - timedelta(days=days - 1), "last": last_day,
                                       "per": per_office_day})
    db.session.execute(text(f"""
        INSERT INTO rollup_daily (day, office_id, department, case_type, officer_id, received, decided, approved,
                                  rejected, over_failing, {counters})
        SELECT r.day, r.office_id, r.department, r.case_type, f.id, 0, r.decided / 5, r.approved / 5,
               r.decided / 5 - r.approved / 5, 0, {", ".join(f"r.t{i} / 5" for i in range(13))}
        FROM rollup_daily r JOIN officers f ON f.office_id = r.office_id AND f.role = 'reception_officer'
        WHERE r.officer_id = 0"""))
    sums = ", ".join(f"sum(r.{name})" for name in ("received", "decided", "approved", "rejected", "over_failing",
                                                   *(f"t{i}" for i in range(13))))
    # each office's subtree totals (officer_id -1): the office itself, its province, the nation
    db.session.execute(text(f"""
        INSERT INTO rollup_daily (day, office_id, department, case_type, officer_id, received, decided, approved,
                                  rejected, over_failing, {counters})
        SELECT r.day, a.id, r.department, r.case_type, -1, {sums}
        FROM rollup_daily r JOIN offices o ON o.id = r.office_id JOIN offices a ON o.path LIKE a.path || '%'
        WHERE r.officer_id = 0 GROUP BY r.day, a.id, r.department, r.case_type"""))
    db.session.execute(text(ALL_TYPES_SUBTREE.format(counters=counters, sums=sums)))
    db.session.execute(text("""
        INSERT INTO rollup_reasons (day, office_id, case_type, department, officer_id, code, count)
        SELECT r.day, r.office_id, r.case_type, r.department, 0, c.code, greatest(1, r.rejected / 4)
        FROM rollup_daily r, (VALUES ('ID_UNREADABLE'), ('ID_MISMATCH'), ('DUPLICATE'), ('NO_SHOW')) c(code)
        WHERE r.officer_id = 0 AND r.case_type <> 'complaint' AND r.rejected > 0"""))
    # complaints received per category, and the share of them sent to triage (the rollup's complaint rows)
    db.session.execute(text(f"""
        INSERT INTO rollup_reasons (day, office_id, case_type, department, officer_id, code, count)
        SELECT r.day, r.office_id, k.case_type, r.department, 0, c.category,
               greatest(1, (r.received * c.share * CASE k.case_type WHEN 'complaint_triage' THEN c.triage
                                                                    ELSE 1 END)::int)
        FROM rollup_daily r JOIN (VALUES {_values(CATEGORY_MIX)}) c(category, department, share, triage)
             ON c.department = r.department,
             (VALUES ('complaint_category'), ('complaint_triage')) k(case_type)
        WHERE r.officer_id = 0 AND r.case_type = 'complaint'"""))
    db.session.execute(text("""
        INSERT INTO rollup_reasons (day, office_id, case_type, department, officer_id, code, count)
        SELECT r.day, a.id, r.case_type, r.department, -1, r.code, sum(r.count)
        FROM rollup_reasons r JOIN offices o ON o.id = r.office_id JOIN offices a ON o.path LIKE a.path || '%'
        WHERE r.officer_id = 0 GROUP BY r.day, a.id, r.case_type, r.department, r.code"""))
    fill_backlog(db, text)
    db.session.commit()
    db.session.execute(text("ANALYZE rollup_daily; ANALYZE rollup_reasons; ANALYZE rollup_backlog"))
    db.session.commit()
    total = db.session.execute(text("SELECT sum(decided), count(*) FROM rollup_daily WHERE officer_id = 0")).one()
    rows = db.session.execute(text("SELECT count(*) FROM rollup_daily")).scalar()
    shares = db.session.execute(text("SELECT case_type, sum(decided) FROM rollup_daily WHERE officer_id = 0 "
                                     "GROUP BY case_type ORDER BY 1")).all()
    print("decisions per case type: " + ", ".join(f"{t} {int(n):,}" for t, n in shares))
    return int(total[0]), rows


def fill_backlog(db, text):
    """The backlog snapshot of the local offices' open cases by age, and their deadline rows (the flag job's rollup
    refresh rebuilds the snapshot from the open cases, which the bench does not hold: a --reuse run refills it)."""
    db.session.execute(text("DELETE FROM rollup_backlog"))
    db.session.execute(text(f"""
        INSERT INTO rollup_backlog (office_id, department, case_type, bucket, count, as_of)
        SELECT o.id, m.department, m.case_type, b.bucket, (random() * 40 * m.share)::int, now()
        FROM offices o, (VALUES ('0-1'), ('1-3'), ('3-7'), ('7-30'), ('30+'), ('overdue'), ('due_soon')) b(bucket),
             (VALUES {_values(MIX)}) m(department, case_type, share)
        WHERE o.level = 'local' AND (m.case_type <> 'declaration' OR b.bucket NOT IN ('overdue', 'due_soon'))"""))


def time_dashboard(app, first_day, last_day, requests):
    """p50/p95/p99 of the national supervisor's dashboard over the period, in-process."""
    from tests.conftest import RequestScopedClient

    app.test_client_class = RequestScopedClient
    client = app.test_client()
    response = client.post("/login", data={"username": "giamsat.00001", "password": PASSWORD})
    assert response.status_code == 303, response.status_code
    url = f"/supervision/?date_from={first_day.isoformat()}&date_to={last_day.isoformat()}"
    assert client.get(url).status_code == 200  # warm up
    times, cpu = [], []
    for _ in range(requests):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)  # this process only: the app's share, not PostgreSQL's
        assert response.status_code == 200
    times.sort()
    return {p: times[min(len(times) - 1, int(len(times) * p / 100))] for p in (50, 95, 99)}, median(cpu)


def new_day(db, text, count, day):
    """`count` decided declarations of one day with their claim and decision audit entries (placeholder hashes)."""
    start = datetime.combine(day, datetime.min.time(), timezone.utc) + timedelta(hours=1)  # 08:00 in Hà Nội
    officers = db.session.execute(text("SELECT count(*) FROM officers WHERE username LIKE 'bench.tn.%'")).scalar()
    db.session.execute(text("""
        INSERT INTO declarations (reference, kind, state, channel, office_id, submitted_at, updated_at,
            social_insurance_number, full_name, date_of_birth, sex, id_type, id_number, phone, email, checks,
            failing_checks, extraction_attempts, claimed_by_id, claimed_at, claim_touched_at, decided_by_id,
            decided_at, version_id)
        SELECT 'B' || lpad(to_hex(:day_no * 100000 + g), 9, '0'), 'register', 'approved', 'vssid_app', f.office_id,
               :start + g * interval '1 second', :start, lpad((:day_no * 100000 + g)::text, 10, '0'), 'Nguyễn Văn A',
               date '1990-01-01', 'Nam', 'cccd', lpad(g::text, 12, '0'), '09' || lpad(g::text, 8, '0'),
               NULL, '[]', 0, 1, f.id, :start + g * interval '1 second', :start, f.id,
               :start + g * interval '1 second' + interval '90 seconds', 1
        FROM generate_series(1, :count) g
        JOIN LATERAL (SELECT id, office_id FROM officers WHERE username LIKE 'bench.tn.%'
                      ORDER BY id OFFSET (g % :officers) LIMIT 1) f ON true"""),
        {"count": count, "start": start, "day_no": day.toordinal() % 1000, "officers": officers})
    for action, offset in (("declaration_claimed", "0 seconds"), ("declaration_approved", "90 seconds")):
        db.session.execute(text(f"""
            INSERT INTO audit_entries (at, actor_id, actor, action, object_type, object_id, office_id, ip, details,
                                       prev_hash, entry_hash)
            SELECT d.claimed_at + interval '{offset}', d.decided_by_id, 'bench', '{action}', 'declaration',
                   d.id::text, d.office_id, '', '{{"checks_seen": []}}', 'bench', md5(random()::text) || md5(d.id::text)
            FROM declarations d WHERE d.claimed_at >= :start AND d.claimed_at < :start + interval '1 day'"""),
            {"start": start})
    db.session.commit()
    return start


def main():
    args = parse()
    os.environ["DATABASE_URL"] = args.database_url
    from flask_migrate import upgrade
    from sqlalchemy import text

    from backoffice import create_app
    from backoffice.extensions import db
    from backoffice.services import demo, supervision
    from config import _database_url

    app = create_app(SQLALCHEMY_DATABASE_URI=_database_url(args.database_url), WTF_CSRF_ENABLED=False,
                     RATELIMIT_ENABLED=False, TESTING=True)
    with app.app_context():
        upgrade()
        demo.seed_offices_and_officers(PASSWORD)
        db.session.commit()
        last_day = date(2026, 11, 30)
        if args.reuse:
            fill_backlog(db, text)
            db.session.commit()
        if args.reuse and args.add_all_types:
            counters = ", ".join(f"t{i}" for i in range(13))
            sums = ", ".join(f"sum(r.{name})" for name in ("received", "decided", "approved", "rejected",
                                                           "over_failing", *(f"t{i}" for i in range(13))))
            db.session.execute(text("DELETE FROM rollup_daily WHERE officer_id = -2"))
            db.session.execute(text(ALL_TYPES_SUBTREE.format(counters=counters, sums=sums)))
            db.session.commit()
            db.session.execute(text("ANALYZE rollup_daily"))
            db.session.commit()
        if not args.reuse:
            build_offices(db, text, args.provinces, args.locals)
            started = time.perf_counter()
            total, rows = fill_rollups(db, text, args.decisions, args.days, last_day)
            print(f"rollups: {rows:,} rows standing for {total:,} decisions over {args.days} days "
                  f"({time.perf_counter() - started:.0f} s to load)")
        db.session.remove()
    with app.app_context():  # the test client expires this context's objects after each request
        percentiles, cpu = time_dashboard(app, last_day - timedelta(days=args.days - 1), last_day, args.requests)
    print(f"dashboard, national supervisor, {args.days} days: p50 {percentiles[50]:.1f} ms, "
          f"p95 {percentiles[95]:.1f} ms, p99 {percentiles[99]:.1f} ms ({args.requests} requests, in-process); "
          f"median CPU of the app's process {cpu:.1f} ms")
    if args.reuse:
        return
    with app.app_context():
        day = last_day + timedelta(days=1)
        mark = db.session.execute(text("SELECT coalesce(max(id), 0) FROM audit_entries")).scalar()
        supervision.rollups.mark(supervision.rollups.MARK).value = mark
        db.session.commit()
        start = new_day(db, text, args.day_decisions, day)
        began = time.perf_counter()
        read = supervision.rollups.refresh()
        db.session.commit()
        refreshed = time.perf_counter() - began
        began = time.perf_counter()
        created = supervision.flags.detect(end=start + timedelta(days=1), days=1)
        db.session.commit()
        detected = time.perf_counter() - began
        print(f"flag job for one day of {args.day_decisions:,} decisions: rollup refresh {refreshed:.1f} s "
              f"({read:,} audit entries), flags {detected:.1f} s ({created:,} new flags)")


if __name__ == "__main__":
    main()
