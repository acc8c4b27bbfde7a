"""The reference for describe's deciles tables, from pandas itself.

Reads a combined measure file grouped by one column (test/describe/fixtures/deciles/
measure_practice_rate.csv), computes what OpenSAFELY's deciles-charts action computes (value from
the counts, rows whose value is empty dropped, then per date `groupby(...).quantile(...)`, linear
interpolation) for the 1st to 99th percentiles describe draws, leaves out dates with fewer than
10 values, and writes date,percentile,value. Run it with any pandas (the reference was made with
pandas 1.5.3): python3 scripts/deciles-reference.py <measure file> > <reference.csv>
"""

import sys

import pandas

PERCENTILES = list(range(1, 10)) + list(range(10, 100, 10)) + list(range(91, 100))
MIN_VALUES = 10

table = pandas.read_csv(sys.argv[1], dtype={0: str}, keep_default_na=False, na_values=[""])
numerator, denominator = table.columns[-4], table.columns[-3]
table["value"] = table[numerator] / table[denominator].where(table[denominator] > 0)
table = table.dropna(subset=["value"])
counts = table.groupby("date")["value"].count()
table = table[table["date"].isin(counts[counts >= MIN_VALUES].index)]
deciles = table.groupby("date")["value"].quantile([p / 100 for p in PERCENTILES]).reset_index()
deciles.columns = ["date", "percentile", "value"]
deciles["percentile"] = [round(q * 100) for q in deciles["percentile"]]
deciles = deciles.sort_values(["date", "percentile"])
sys.stdout.write("date,percentile,value\n")
for row in deciles.itertuples(index=False):
    sys.stdout.write(f"{row.date},{row.percentile},{float(row.value)!r}\n")
