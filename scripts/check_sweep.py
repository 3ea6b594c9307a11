#!/usr/bin/env python3
"""Check that a table written by `ionics collect` opens in xarray as an N-dimensional dataset.

    python3 scripts/check_sweep.py TABLE.h5 DIM [DIM ...]

xarray.open_dataset(TABLE.h5, engine="h5netcdf") must succeed with exactly the named
dimensions (no phony ones), in order, each with a coordinate variable carrying
long_name and, when numeric, units (a word-valued axis has text coordinates, no units); every metric and `status` must span all the dimensions; the
coordinate variables of zipped, sampled or listed axes (each data variable's
`coordinates` attribute) must come back as coordinates. Prints a summary and exits 1
on any failure. (Needs numpy, h5py, xarray, h5netcdf: scripts/requirements.txt.)
"""

import sys

import xarray as xr


def main(path, dims):
    problems = []
    ds = xr.open_dataset(path, engine="h5netcdf")
    try:
        if list(ds.dims) != dims:
            problems.append(f"dimensions {list(ds.dims)}, expected {dims}")
        for d in ds.dims:
            if d not in ds.coords:
                problems.append(f"dimension {d} has no coordinate variable")
                continue
            # A word-valued axis ("lateral", "vertical") has text coordinates and no units.
            numeric = ds.coords[d].dtype.kind in "iuf"
            for attr in ("units", "long_name") if numeric else ("long_name",):
                if not ds.coords[d].attrs.get(attr):
                    problems.append(f"coordinate {d}: no {attr}")
        for name in ("gmin", "gmax", "status", "point_index"):
            if name not in ds.data_vars:
                problems.append(f"no variable {name}")
            elif list(ds[name].dims) != dims:
                problems.append(f"{name} spans {list(ds[name].dims)}, expected {dims}")
        # Decoded coordinates leave the attribute for the encoding: one still there was not.
        if "gmin" in ds and "coordinates" in ds["gmin"].attrs:
            problems.append(f"coordinates {ds['gmin'].attrs['coordinates']} were not decoded as coordinates")
        extra = [c for c in ds.coords if c not in ds.dims]
        print(f"{path}: dims {dict(ds.sizes)}, {len(ds.data_vars)} variables"
              + (f", coordinates along them: {extra}" if extra else ""))
    finally:
        ds.close()
    for p in problems:
        print("  " + p)
    print("check_sweep: " + ("FAILED" if problems else "the table opens as an N-dimensional dataset with coordinates"))
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) < 3:
        print(__doc__.strip())
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2:]))
