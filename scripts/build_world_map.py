"""Build ratification/data/world-110m.json: country outlines as SVG paths keyed by ISO alpha-3.

Run once when the map should change (`python scripts/build_world_map.py`); the project ships the
JSON, so `make run` needs neither Node nor this script, and the page draws the map with pure
Python. The shapes are Natural Earth's 1:110m admin-0 countries (public domain) as packaged by
the npm package `world-atlas` (TopoJSON, quantized); this script fetches that package with
`npm pack` (or reads a `countries-110m.json` given on the command line), decodes the TopoJSON
arcs, cuts the shapes that cross longitude 180, projects them with the Equal Earth projection
(equal-area, so large countries do not look more important than they are), and writes one
relative SVG path per country. pycountry turns
the ISO 3166 numeric ids into alpha-3 codes, the key the tracker uses for participants.

    python scripts/build_world_map.py [path/to/countries-110m.json]
    python scripts/build_world_map.py --svg    # only static/img/world-110m.svg, from the JSON

It also writes static/img/world-110m.svg, the outlines as the static file the pages colour.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import pycountry

PACKAGE = "world-atlas@2.0.2"
ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "ratification" / "data" / "world-110m.json"
# The same outlines as the static file the pages colour (ratification/charts.py, world_svg).
SVG_OUTPUT = ROOT / "static" / "img" / "world-110m.svg"
WIDTH = 1000.0
PRECISION = 1  # decimals kept in the path: 0.1 unit of a 1000-wide map, far below a pixel

# Shapes the 110m file draws without an ISO id. The UN counts Northern Cyprus as part of Cyprus
# and Somaliland as part of Somalia; Kosovo keeps the user-assigned code its data uses.
UNNUMBERED = {"N. Cyprus": "CYP", "Somaliland": "SOM", "Kosovo": "XKX"}
LEFT_OUT = {"010"}  # Antarctica: no participant, a quarter of the drawing

# Equal Earth projection (Šavrič, Patterson, Jenny 2018).
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2


def equal_earth(longitude: float, latitude: float) -> tuple[float, float]:
    lam, phi = math.radians(longitude), math.radians(latitude)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs are delta-encoded integers; undo the deltas and the quantization."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def cut_at_antimeridian(ring: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """The ring as drawn on a flat map: cut where it crosses longitude 180.

    world-atlas stitches shapes across the antimeridian for spherical renderers (d3-geo cuts
    them itself), so Russia's and Fiji's rings jump from 180 to -180. Drawn as they are, each
    jump is a line across the whole map. Unwrapping the longitudes makes the ring continuous;
    clipping it to each 360-degree window that it reaches and shifting that part back gives one
    ring per side of the map.
    """
    unwrapped = [ring[0]]
    for lon, lat in ring[1:]:
        previous = unwrapped[-1][0]
        lon += 360 * round((previous - lon) / 360)
        unwrapped.append((lon, lat))
    if abs(unwrapped[-1][0] - unwrapped[0][0]) > 180:
        # Only a ring around a pole fails to close; Antarctica is the one and it is left out.
        raise SystemExit("a ring encircles a pole; this script cannot cut it")
    lons = [lon for lon, _ in unwrapped]
    if min(lons) >= -180 and max(lons) <= 180:
        return [ring]
    pieces = []
    for shift in (-360, 0, 360):
        shifted = [(lon + shift, lat) for lon, lat in unwrapped]
        clipped = _clip(_clip(shifted, -180, keep_above=True), 180, keep_above=False)
        if len(clipped) >= 3:
            pieces.append(clipped)
    return pieces


def _clip(ring: list[tuple[float, float]], meridian: float, *, keep_above: bool) -> list[tuple[float, float]]:
    """Sutherland-Hodgman against one meridian (the ring is closed implicitly)."""

    def inside(point: tuple[float, float]) -> bool:
        return point[0] >= meridian if keep_above else point[0] <= meridian

    result: list[tuple[float, float]] = []
    for index, current in enumerate(ring):
        previous = ring[index - 1]
        if inside(current) != inside(previous):
            (x1, y1), (x2, y2) = previous, current
            result.append((meridian, y1 + (y2 - y1) * (meridian - x1) / (x2 - x1)))
        if inside(current):
            result.append(current)
    return result


def polygons(geometry: dict) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def path_data(rings: list[list[tuple[float, float]]], scale: float, x0: float, y0: float) -> str:
    """A compact SVG path: absolute move per ring, then relative lines in map units."""
    parts = []
    for ring in rings:
        projected = [equal_earth(lon, lat) for lon, lat in ring]
        screen = [(round((x - x0) * scale, PRECISION), round((y0 - y) * scale, PRECISION)) for x, y in projected]
        deduplicated = [point for i, point in enumerate(screen) if i == 0 or point != screen[i - 1]]
        if len(deduplicated) < 3:
            continue
        (px, py), moves = deduplicated[0], []
        for x, y in deduplicated[1:]:
            moves.append(f"{_number(x - px)} {_number(y - py)}")
            px, py = x, y
        parts.append(f"M{_number(deduplicated[0][0])} {_number(deduplicated[0][1])}l{' '.join(moves)}z")
    return "".join(parts)


def _number(value: float) -> str:
    # SVG accepts ".5" and "-.5": dropping the leading zero saves a tenth of the file.
    text = f"{round(value, PRECISION):.{PRECISION}f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        return "0"
    return text.replace("0.", ".", 1) if text.startswith(("0.", "-0.")) else text


def country_code(geometry: dict) -> str | None:
    numeric = geometry.get("id")
    if numeric is None:
        return UNNUMBERED.get(geometry.get("properties", {}).get("name", ""))
    if numeric in LEFT_OUT:
        return None
    country = pycountry.countries.get(numeric=numeric)
    if country is None:
        raise SystemExit(f"ISO numeric {numeric} ({geometry.get('properties')}) is unknown to pycountry")
    return country.alpha_3


def build(topology: dict) -> dict:
    arcs = decode_arcs(topology)
    rings_by_code: dict[str, list[list[tuple[float, float]]]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = country_code(geometry)
        if code is None:
            continue
        for polygon in polygons(geometry):
            for ring in polygon:
                rings_by_code.setdefault(code, []).extend(cut_at_antimeridian(ring_points(ring, arcs)))
    # Frame the whole world (not only the drawn countries) so the map keeps its usual shape.
    x_max, _ = equal_earth(180, 0)
    _, y_top = equal_earth(0, 84)
    _, y_bottom = equal_earth(0, -57)
    scale = WIDTH / (2 * x_max)
    height = round((y_top - y_bottom) * scale, 1)
    countries = {code: path_data(rings, scale, -x_max, y_top) for code, rings in sorted(rings_by_code.items()) if rings}
    return {
        "source": f"Natural Earth 1:110m admin-0 countries (public domain), npm {PACKAGE}, Equal Earth projection",
        "width": WIDTH,
        "height": height,
        "countries": {code: data for code, data in countries.items() if data},
    }


def fetch_topology() -> dict:
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=folder, check=True, capture_output=True)
        archive = next(Path(folder).glob("world-atlas-*.tgz"))
        with tarfile.open(archive) as tar:
            member = tar.extractfile("package/countries-110m.json")
            if member is None:
                raise SystemExit(f"{PACKAGE} has no countries-110m.json")
            return json.load(member)


def main(argv: list[str]) -> None:
    if argv[1:] == ["--svg"]:
        svg_from_json()
        return
    topology = json.loads(Path(argv[1]).read_text(encoding="utf-8")) if len(argv) > 1 else fetch_topology()
    world = build(topology)
    OUTPUT.write_text(json.dumps(world, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size} bytes, {len(world['countries'])} countries)")
    svg_from_json()


def svg_from_json() -> None:
    """static/img/world-110m.svg from the JSON as shipped (`--svg` alone: no npm needed)."""
    sys.path.insert(0, str(ROOT))
    from ratification.charts import world_svg

    SVG_OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    SVG_OUTPUT.write_text(world_svg(json.loads(OUTPUT.read_text(encoding="utf-8"))), encoding="utf-8")
    print(f"wrote {SVG_OUTPUT} ({SVG_OUTPUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main(sys.argv)
