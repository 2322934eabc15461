"""Dependencies a ROP network encodes, worked out from its wiring alone (no Houdini)."""

from __future__ import annotations

from afanasy_houdini.network import Network, RopLink


def rop(path: str, kind: str = "ifd", *inputs: str, **fields: object) -> RopLink:
    return RopLink(path, kind, tuple(inputs), **fields)  # type: ignore[arg-type]


def test_a_render_waits_for_the_cache_that_feeds_it_and_the_cache_for_its_sim() -> None:
    network = Network(
        [
            rop("/out/sim", "geometry"),
            rop("/out/cache", "geometry", "/out/sim"),
            rop("/out/beauty", "ifd", "/out/cache"),
        ]
    )

    assert network.depends_on("/out/beauty") == {"/out/cache"}
    assert network.depends_on("/out/cache") == {"/out/sim"}
    assert network.upstream(["/out/beauty"]) == {"/out/beauty", "/out/cache", "/out/sim"}


def test_a_merge_orders_nothing_between_its_inputs_but_what_follows_waits_for_all() -> None:
    network = Network(
        [
            rop("/out/fg"),
            rop("/out/bg"),
            rop("/out/both", "merge", "/out/fg", "/out/bg"),
            rop("/out/comp", "comp", "/out/both"),
        ]
    )

    assert network.depends_on("/out/fg") == network.depends_on("/out/bg") == set()
    assert network.depends_on("/out/comp") == {"/out/fg", "/out/bg"}
    assert not network.is_target("/out/both")


def test_a_bypassed_rop_passes_its_inputs_on() -> None:
    network = Network(
        [
            rop("/out/sim", "geometry"),
            rop("/out/cache", "geometry", "/out/sim", bypassed=True),
            rop("/out/beauty", "ifd", "/out/cache"),
        ]
    )

    assert network.depends_on("/out/beauty") == {"/out/sim"}


def test_a_fetched_rop_waits_for_what_feeds_the_fetch_and_followers_wait_for_it() -> None:
    network = Network(
        [
            rop("/out/sim", "geometry"),
            rop("/out/fetch_cache", "fetch", "/out/sim", source="/obj/geo1/cache"),
            rop("/obj/geo1/cache", "rop_geometry"),
            rop("/out/beauty", "ifd", "/out/fetch_cache"),
        ]
    )

    assert network.depends_on("/obj/geo1/cache") == {"/out/sim"}
    assert network.depends_on("/out/beauty") == {"/obj/geo1/cache", "/out/sim"}


def test_rops_fed_into_a_batch_are_named_with_it() -> None:
    network = Network(
        [
            rop("/out/sim", "geometry"),
            rop("/out/batch1", "batch", "/out/sim"),
            rop("/out/beauty", "ifd", "/out/batch1"),
        ]
    )

    assert network.batched() == {"/out/sim": "/out/batch1"}
    assert network.depends_on("/out/beauty") == {"/out/sim"}


def test_a_wedge_is_a_target_its_driver_is_known_and_its_driver_input_is_no_dependency() -> None:
    network = Network(
        [
            rop("/out/flip", "geometry"),
            rop("/out/wedge1", "wedge", "/out/flip", source="/out/flip"),
        ]
    )

    assert network.is_target("/out/wedge1")
    assert network.depends_on("/out/wedge1") == set()
    assert network.wedge_drivers() == {"/out/flip"}


def test_a_fetch_of_itself_ends_instead_of_looping() -> None:
    network = Network(
        [
            rop("/out/a", "fetch", source="/out/b"),
            rop("/out/b", "fetch", source="/out/a"),
            rop("/out/beauty", "ifd", "/out/a"),
        ]
    )

    assert network.depends_on("/out/beauty") == set()


def test_a_chain_far_deeper_than_pythons_recursion_limit_resolves() -> None:
    links = [rop("/out/r0", "geometry")]
    for number in range(1, 5000):
        links.append(rop(f"/out/n{number}", "null", links[-1].path))
    links.append(rop("/out/last", "ifd", links[-1].path))

    assert Network(links).depends_on("/out/last") == {"/out/r0"}
