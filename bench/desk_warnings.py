"""How often the desk's checks warn: the share of cases with at least one warning (and with a failure), on the demo
declarations and on N generated clean declarations (issue 18, item 7; figures in docs/benchmarks.md).

A generated declaration is clean: its declared fields are the synthetic card's, the card is photographed cleanly
and read by the real extraction (QR, MRZ, OCR), the photos have the sizes phones send, a child's declaration
carries the guardian's phone. Cards the generator made already expired are counted apart (they rightly fail).

    OMP_THREAD_LIMIT=1 .venv/bin/python -m bench.desk_warnings --count 1000 [--database-url postgresql://…]

Without --database-url a SQLite file in a temporary folder is used (nothing else is touched).
"""
import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

CARDS = ("cccd_chip", "cccd_barcode", "can_cuoc", "cmnd")
# (width, height) of the photos phones send: a selfie scaled by the app, ID cards shot at the camera's resolution
PORTRAITS = ((480, 640), (720, 960), (960, 1280), (1080, 1440))
CARD_PHOTOS = ((1000, 630), (1280, 807), (1600, 1009), (2048, 1291))


def _app(url):
    from flask_migrate import upgrade

    from backoffice import create_app

    folder = Path(tempfile.mkdtemp(prefix="desk-warnings-"))
    app = create_app(SQLALCHEMY_DATABASE_URI=url or f"sqlite:///{folder / 'bench.sqlite'}",
                     STORAGE_URL=f"file://{folder / 'files'}", OUTBOX_DIR=str(folder / "outbox"),
                     AUDIT_ANCHOR_FILE=str(folder / "anchors.log"), REDIS_URL=None, TESTING=True)
    with app.app_context():
        upgrade()
    return app


def _details(check):
    """What a warning or failure is about: the fields not matched, the evidence's keys."""
    evidence = check["evidence"]
    fields = {f: r["status"] for f, r in (evidence.get("fields") or {}).items()
              if r.get("status") not in ("match", None) and f in ("id_number", "full_name", "date_of_birth", "sex")}
    keys = [k for k, v in evidence.items() if v and k not in ("fields", "participant_id", "age")]
    return ",".join([f"{f}={s}" for f, s in sorted(fields.items())] + sorted(keys))


def _summary(label, checked):
    warned = sum(1 for checks in checked if any(c["status"] == "warn" for c in checks))
    failed = sum(1 for checks in checked if any(c["status"] == "fail" for c in checks))
    reasons = Counter(f"{c['code']}:{c['status']} ({_details(c)})" for checks in checked for c in checks
                      if c["status"] != "pass")
    n = len(checked) or 1
    print(f"{label}: {len(checked)} cases, {warned} with a warning ({100 * warned / n:.1f}%), "
          f"{failed} with a failure ({100 * failed / n:.1f}%)")
    for reason, count in reasons.most_common():
        print(f"    {reason}: {count}")


def demo_cases():
    """The demo declarations, read and checked as `make run` does."""
    from sqlalchemy import select

    from backoffice.extensions import db
    from backoffice.jobs import enqueue  # noqa: F401 - the demo queues extraction jobs; they are run here
    from backoffice.models import Declaration
    from backoffice.services import demo
    from backoffice.tasks.declarations import extract_declaration

    demo.seed_offices_and_officers("bench-password")
    from backoffice.services.declarations import demo as declarations_demo

    declarations_demo.seed_register_and_desk()
    db.session.commit()
    ids = db.session.scalars(select(Declaration.id).order_by(Declaration.id)).all()
    for declaration_id in ids:
        extract_declaration(declaration_id)
    db.session.expire_all()
    return {d.reference: d.checks for d in db.session.scalars(select(Declaration).order_by(Declaration.id))}


def generated(count, seed):
    """`count` clean declarations at the demo desk office, read by the real extraction and checked."""
    from sqlalchemy import select

    from backoffice import idcard
    from backoffice.extensions import db
    from backoffice.idcard.synth import make_sample
    from backoffice.models import (
        AccountStatus,
        Declaration,
        DeclarationDocument,
        DeclarationKind,
        DocumentKind,
        ETransactionAccount,
        Office,
        Participant,
    )
    from backoffice.services.declarations import checks as declaration_checks
    from backoffice.services.platform import calendar

    rng = random.Random(seed)
    office = db.session.scalar(select(Office).where(Office.code == "00131"))
    today = calendar.today()
    clean, expired, started = [], [], time.monotonic()
    guardian = None
    for index in range(count):
        card = rng.choice(CARDS)
        sample = make_sample(card, "clean", seed * 100_000 + index)
        person = sample.identity
        sin, phone = f"{rng.randrange(10**9, 10**10):010d}", f"09{rng.randrange(10**8):08d}"
        child = guardian is not None and rng.random() < 0.1
        born = today.replace(year=today.year - 7) if child else person.date_of_birth
        db.session.add(Participant(social_insurance_number=sin, full_name=person.full_name, date_of_birth=born,
                                   sex=person.sex, id_number=None if child else person.id_number,
                                   phone=guardian[1] if child else phone, office_id=office.id))
        kind = DeclarationKind.register_child if child else rng.choice(
            (DeclarationKind.register,) * 9 + (DeclarationKind.update,))
        declaration = Declaration(
            reference=f"B{index:09d}", kind=kind, channel="vssid_app", office_id=office.id,
            social_insurance_number=sin, full_name=person.full_name, date_of_birth=born,
            sex=person.sex, id_type=None if child else ("cmnd" if card == "cmnd" else "cccd"),
            id_number=None if child else person.id_number, phone=guardian[1] if child else phone,
            email=None, guardian_social_insurance_number=guardian[0] if child else None, state="ready")
        if child:  # a child registered by a guardian: the guardian's phone, a birth certificate
            sizes = {DocumentKind.portrait: rng.choice(PORTRAITS), DocumentKind.birth_certificate: (1240, 1754)}
            extraction = None
        else:
            w, h = rng.choice(CARD_PHOTOS)
            sizes = {DocumentKind.portrait: rng.choice(PORTRAITS), DocumentKind.id_front: (w, h),
                     DocumentKind.id_back: (w, h)}
            extraction = idcard.extract(sample.front, sample.back)
        declaration.extraction = extraction
        documents = [DeclarationDocument(kind=kind_, width=w, height=h) for kind_, (w, h) in sizes.items()]
        # the checks read the documents' sizes only; the rows are not stored (they would need files)
        declaration.documents = documents
        checks = declaration_checks.compute(declaration, today)
        declaration.documents = []
        for document in documents:
            db.session.expunge(document) if document in db.session else None
        declaration.checks, declaration.failing_checks = checks, declaration_checks.failing(checks)
        db.session.add(declaration)
        db.session.flush()
        if person.date_of_expiry is not None and person.date_of_expiry < today:
            expired.append(checks)
        else:
            clean.append(checks)
        if not child and guardian is None or rng.random() < 0.05:  # this adult has an account, may register a child
            db.session.add(ETransactionAccount(social_insurance_number=sin, status=AccountStatus.active, phone=phone,
                                               email=""))
            guardian = (sin, phone)
        if (index + 1) % 50 == 0:
            db.session.commit()
            print(f"  {index + 1}/{count} in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    db.session.commit()
    return clean, expired


def main():
    """Run both measurements and print the shares."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    app = _app(args.database_url)
    with app.app_context():
        demo = demo_cases()
        _summary("demo declarations", list(demo.values()))
        clean, expired = generated(args.count, args.seed)
        _summary("generated clean declarations (card valid)", clean)
        _summary("generated declarations whose card had expired", expired)


if __name__ == "__main__":
    main()
