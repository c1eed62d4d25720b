"""区镇联动 — the district-to-town linkage: its translator, and the faust stream processors
(`app`) that route cases (`routing`), run the deadline clock (`clock`) and count (`tally`)."""

# The event topics the linkage reads: delegations and holdings (powers), joint-enforcement
# scenarios (duties), and the cases themselves (linkage).
SOURCE_FAMILIES = ("powers", "duties", "linkage")
