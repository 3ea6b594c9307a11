#!/usr/bin/env python3
"""Check that an Ionics run file reads cleanly as netCDF-4 through xarray + h5netcdf.

    python3 scripts/check_output.py RUN.h5 [RUN2.h5 ...]

For every group of each file that holds datasets: xarray.open_dataset(file,
group=G, engine="h5netcdf") must succeed without phony dimensions; every dimension
must have a coordinate variable; every variable (data and coordinate) must carry
`units` and `long_name`; integer datasets must come back as integers and CF flag
attributes must be consistent. Prints one line per group and exits 1 on any failure.
(Needs numpy, h5py, xarray, h5netcdf: scripts/requirements.txt.)
"""

import sys

import h5py
import numpy as np
import xarray as xr

# Datasets the schema stores as integers (docs/output.md); the check fails if one is a float.
INTEGER_NAMES = {"experiment", "newton_iterations", "rejected", "reinitialisation", "after_pulse",
                 "pulse", "index", "kind", "terminal", "layer"}


def groups_with_datasets(path):
    """Paths of the groups that directly hold datasets, root first."""
    found = []

    def visit(name, obj):
        if isinstance(obj, h5py.Group) and any(isinstance(v, h5py.Dataset) for v in obj.values()):
            found.append("/" + name)

    with h5py.File(path, "r") as f:
        if any(isinstance(v, h5py.Dataset) for v in f.values()):
            found.append("/")
        f.visititems(visit)
    return found


def check_group(path, group):
    problems = []
    ds = xr.open_dataset(path, group=group, engine="h5netcdf", decode_timedelta=False)
    try:
        for dim in ds.dims:
            if str(dim).startswith("phony_dim"):
                problems.append(f"unnamed dimension {dim}")
            elif dim not in ds.coords:
                problems.append(f"dimension {dim} has no coordinate variable")
        for name, var in ds.variables.items():
            for attr in ("units", "long_name"):
                if not isinstance(var.attrs.get(attr), str) or not var.attrs[attr]:
                    problems.append(f"{name}: no {attr} attribute")
            if name in INTEGER_NAMES and not np.issubdtype(var.dtype, np.integer):
                problems.append(f"{name}: stored as {var.dtype}, expected an integer type")
            if "flag_values" in var.attrs:
                values = np.atleast_1d(var.attrs["flag_values"])
                meanings = str(var.attrs.get("flag_meanings", "")).split()
                if len(values) != len(meanings):
                    problems.append(f"{name}: {len(values)} flag_values but {len(meanings)} flag_meanings")
                data = var.values
                if data.size and not np.isin(data, values).all():
                    problems.append(f"{name}: values outside flag_values")
        summary = ", ".join(f"{d}={ds.sizes[d]}" for d in ds.dims)
        print(f"  {group:<28} {len(ds.data_vars):2d} variables, {len(ds.coords)} coordinates ({summary})"
              + ("" if not problems else "  FAIL"))
    finally:
        ds.close()
    return problems


def main(paths):
    failed = False
    for path in paths:
        with h5py.File(path, "r") as f:
            version = f.attrs.get("schema_version")
            if isinstance(version, bytes):
                version = version.decode()
        print(f"{path}: schema_version {version}")
        if not version:
            print("  FAIL: no schema_version root attribute")
            failed = True
        for group in groups_with_datasets(path):
            try:
                problems = check_group(path, group)
            except Exception as e:  # noqa: BLE001 - any reader error is a failed check
                problems = [f"xarray/h5netcdf cannot open the group: {type(e).__name__}: {e}"]
                print(f"  {group:<28} FAIL")
            for p in problems:
                print(f"    {group}: {p}")
            failed |= bool(problems)
    print("check_output: " + ("FAILED" if failed else "all groups read with named dimensions, coordinates and units"))
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__.strip())
        sys.exit(2)
    sys.exit(main(sys.argv[1:]))
