"""What the register knows about the complaining citizen, shown beside the complaint: the participant, their health
card, book (the contribution history's record) and benefits, and their declarations and reissue requests."""
from sqlalchemy import or_, select

from backoffice.extensions import db
from backoffice.models import Benefit, Declaration, HealthCard, InsuranceBook, Participant, ReissueRequest

RECENT = 10


def view(complaint):
    """The register's records for the complaint's mã số BHXH (or, without one, what the phone finds)."""
    sin = complaint.social_insurance_number
    if sin is None:
        sin = db.session.scalar(select(Participant.social_insurance_number)
                                .where(Participant.phone == complaint.phone).limit(1))
    if sin is None:
        return {"person": None, "card": None, "book": None, "benefits": [], "declarations": [], "requests": [],
                "found_by": None}
    same = [Declaration.social_insurance_number == sin]
    return {
        "person": db.session.scalar(select(Participant).where(Participant.social_insurance_number == sin)),
        "card": db.session.scalar(select(HealthCard).where(HealthCard.social_insurance_number == sin)),
        "book": db.session.scalar(select(InsuranceBook).where(InsuranceBook.social_insurance_number == sin)),
        "benefits": db.session.scalars(select(Benefit).where(Benefit.social_insurance_number == sin)).all(),
        "declarations": db.session.scalars(select(Declaration).where(or_(*same))
                                           .order_by(Declaration.submitted_at.desc()).limit(RECENT)).all(),
        "requests": db.session.scalars(select(ReissueRequest).where(ReissueRequest.social_insurance_number == sin)
                                       .order_by(ReissueRequest.received_at.desc()).limit(RECENT)).all(),
        "found_by": "sin" if complaint.social_insurance_number else "phone",
    }
