"""One-off: derive the report's offline country shapes from Natural Earth's public-domain lowres data.

A plotly geo choropleth fetches world outlines from a CDN when the page opens; the executive report
must open offline, so it ships the outlines of the shop's countries as package data instead. The
source is `naturalearth_lowres` (Natural Earth 1:110m, public domain) as the geopandas<1.0 wheels
ship it. Re-run after adding a country to the generator:

    pip download --no-deps "geopandas<1.0" -d /tmp/ne && unzip /tmp/ne/geopandas-*.whl -d /tmp/ne
    python scripts/make_country_shapes.py /tmp/ne/geopandas/datasets/naturalearth_lowres

Standard library only: a 1:110m shapefile of polygons and its dBase table are simple to read.
"""

from __future__ import annotations

import json
import struct
import sys
from itertools import pairwise
from pathlib import Path

from ecap_pipeline.generate.reference import CITIES

OUTPUT = Path(__file__).resolve().parents[1] / "ecap_pipeline" / "reports" / "country_shapes.geojson"
NAMES = {
    "US": "United States of America",
    "CA": "Canada",
    "GB": "United Kingdom",
    "DE": "Germany",
    "FR": "France",
    "NL": "Netherlands",
    "ES": "Spain",
    "IT": "Italy",
    "AU": "Australia",
    "JP": "Japan",
    "BR": "Brazil",
    "IN": "India",
}
"""Natural Earth names of the generator's ISO 3166-1 alpha-2 codes (France's iso_a3 is -99 in lowres)."""
_POLYGON = 5
_DECIMALS = 2


def read_names(dbf: Path) -> list[str]:
    """The `name` column of a dBase III table, one value per record."""
    data = dbf.read_bytes()
    records, header_size, record_size = struct.unpack("<IHH", data[4:12])
    fields: list[tuple[str, int]] = []
    offset = 32
    while data[offset] != 0x0D:
        fields.append((data[offset : offset + 11].split(b"\0")[0].decode(), data[offset + 16]))
        offset += 32
    start = 1 + sum(size for name, size in fields[: [name for name, _ in fields].index("name")])
    size = dict(fields)["name"]
    return [
        data[header_size + i * record_size + start : header_size + i * record_size + start + size]
        .decode("latin-1")  # the .cpg says ISO-8859-1
        .strip()
        for i in range(records)
    ]


def read_polygons(shp: Path) -> list[list[list[list[float]]]]:
    """Each record's rings as [[lon, lat], ...], rounded: 1:110m needs no more than 0.01 degree."""
    data = shp.read_bytes()
    shapes = []
    offset = 100
    while offset < len(data):
        content_words = struct.unpack(">i", data[offset + 4 : offset + 8])[0]
        body = data[offset + 8 : offset + 8 + 2 * content_words]
        offset += 8 + 2 * content_words
        if struct.unpack("<i", body[:4])[0] != _POLYGON:
            msg = f"{shp}: expected only polygons"
            raise ValueError(msg)
        parts, points = struct.unpack("<ii", body[36:44])
        starts = [*struct.unpack(f"<{parts}i", body[44 : 44 + 4 * parts]), points]
        xy = struct.unpack(f"<{2 * points}d", body[44 + 4 * parts : 44 + 4 * parts + 16 * points])
        coords = [[round(xy[2 * i], _DECIMALS), round(xy[2 * i + 1], _DECIMALS)] for i in range(points)]
        shapes.append([coords[starts[i] : starts[i + 1]] for i in range(parts)])
    return shapes


def polygons(rings: list[list[list[float]]]) -> list[list[list[list[float]]]]:
    """Rings grouped as polygons: a clockwise ring starts one, counter-clockwise ones are its holes.

    Shapefiles wind outer rings clockwise, the winding plotly's d3-geo also expects; a hole drawn
    as a polygon of its own would fill the whole globe instead.
    """
    grouped: list[list[list[list[float]]]] = []
    for ring in rings:
        twice_area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise(ring))
        if twice_area < 0 or not grouped:
            grouped.append([ring])
        else:
            grouped[-1].append(ring)
    return grouped


def main(source: Path) -> None:
    codes = sorted({city.country_code for city in CITIES})
    missing = set(codes) - set(NAMES)
    if missing:
        msg = f"add the Natural Earth names of {sorted(missing)} to NAMES"
        raise SystemExit(msg)
    stem = source / source.name
    by_name = dict(zip(read_names(stem.with_suffix(".dbf")), read_polygons(stem.with_suffix(".shp")), strict=True))
    features = [
        {
            "type": "Feature",
            "id": code,
            "properties": {"iso_a2": code, "name": NAMES[code]},
            "geometry": {"type": "MultiPolygon", "coordinates": polygons(by_name[NAMES[code]])},
        }
        for code in codes
    ]
    collection = {
        "type": "FeatureCollection",
        "source": "Natural Earth 1:110m admin 0 countries (public domain), via geopandas naturalearth_lowres",
        "features": features,
    }
    OUTPUT.write_text(json.dumps(collection, separators=(",", ":")) + "\n")
    print(f"{OUTPUT}: {len(features)} countries, {OUTPUT.stat().st_size} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
