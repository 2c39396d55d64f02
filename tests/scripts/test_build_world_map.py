from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_world_map.py"


@pytest.fixture(scope="module")
def builder():
    spec = importlib.util.spec_from_file_location("build_world_map", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tiny_topology() -> dict:
    """Two squares sharing an edge, quantized the way world-atlas ships them."""
    return {
        "type": "Topology",
        "transform": {"scale": [1, 1], "translate": [0, 0]},
        "arcs": [[[0, 0], [0, 10]], [[0, 10], [10, 0], [0, -10], [-10, 0]], [[0, 0], [-10, 0], [0, 10], [10, 0]]],
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "id": "250", "properties": {"name": "France"}},
                    {"type": "Polygon", "arcs": [[2, -1]], "id": "704", "properties": {"name": "Vietnam"}},
                    {"type": "Polygon", "arcs": [[2]], "id": "010", "properties": {"name": "Antarctica"}},
                    {"type": "Polygon", "arcs": [[2]], "properties": {"name": "Kosovo"}},
                ],
            }
        },
    }


class BuildWorldMapTests:
    def test_it_decodes_delta_encoded_arcs(self, builder):
        arcs = builder.decode_arcs(tiny_topology())
        assert arcs[1] == [(0, 10), (10, 10), (10, 0), (0, 0)]

    def test_it_keys_shapes_by_alpha3_and_leaves_antarctica_out(self, builder):
        world = builder.build(tiny_topology())
        assert sorted(world["countries"]) == ["FRA", "VNM", "XKX"]
        assert all(path.startswith("M") and path.endswith("z") for path in world["countries"].values())

    def test_it_cuts_a_ring_that_crosses_the_antimeridian_into_one_per_side(self, builder):
        # world-atlas stitches Fiji across longitude 180: the ring jumps from 179 to -179.
        ring = [(179.0, -16.0), (-179.0, -16.0), (-179.0, -18.0), (179.0, -18.0)]
        pieces = builder.cut_at_antimeridian(ring)
        assert sorted((min(x for x, _ in p), max(x for x, _ in p)) for p in pieces) == [
            (-180.0, -179.0),
            (179.0, 180.0),
        ]

    def test_it_keeps_a_ring_that_does_not_cross_as_it_is(self, builder):
        ring = [(10.0, 0.0), (20.0, 0.0), (20.0, 10.0)]
        assert builder.cut_at_antimeridian(ring) == [ring]

    def test_the_projection_puts_the_origin_in_the_middle(self, builder):
        assert builder.equal_earth(0, 0) == (0, 0)
        x, _ = builder.equal_earth(180, 0)
        assert builder.equal_earth(-180, 0)[0] == pytest.approx(-x)

    def test_numbers_are_written_compactly(self, builder):
        assert [builder._number(v) for v in (0.5, -0.5, 1.0, -0.04, 12.34)] == [".5", "-.5", "1", "0", "12.3"]
