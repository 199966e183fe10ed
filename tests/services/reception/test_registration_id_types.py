"""A permit or permanent-residence number typed under 居民身份证 is refused with the type it
is (issue 12, finding 2), and saved once the type is switched."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from services.context import ServiceContext
from services.domain.dto import WalkInInput
from services.domain.errors import ValidationErrors
from services.domain.identity import id_check_char
from services.reception.registration import register_walk_in
from services.store.models import Person

Form = Callable[..., WalkInInput]
HK = "81000019900101123" + id_check_char("81000019900101123")
TAIWAN = "83000020000229789" + id_check_char("83000020000229789")
FOREIGN_2023 = "93115619880808001" + id_check_char("93115619880808001")
FOREIGN_2017 = "USA310188051201"


@pytest.mark.parametrize(
    ("number", "label", "id_type"),
    [(HK, "港澳居民居住证", "hk_macau_permit"), (TAIWAN, "台湾居民居住证", "taiwan_permit"),
     (FOREIGN_2023, "外国人永久居留身份证", "foreign_permanent"),
     (FOREIGN_2017, "外国人永久居留身份证", "foreign_permanent")],
)  # fmt: skip
def test_a_permit_number_typed_as_a_resident_id_is_refused_naming_its_type(
    ctx: ServiceContext, walk_in: Form, number: str, label: str, id_type: str
) -> None:
    with pytest.raises(ValidationErrors) as info:
        register_walk_in(ctx, walk_in(visitor={"id_type": "111", "id_number": number}))
    (err,) = info.value.errors
    assert (err.field, err.code) == ("parties[0].id_type", "id_type.mismatch")
    assert label in err.message and "居民身份证" in err.message
    with ctx.store.read() as session:
        assert session.scalars(select(Person)).all() == []
    # switched to the type the number shows, it is saved under that type
    saved = register_walk_in(ctx, walk_in(visitor={"id_type": id_type, "id_number": number}))
    with ctx.store.read() as session:
        person = session.get(Person, saved.person_ids[0])
        assert person is not None and (person.id_type, person.id_number) == (id_type, number)
