"""hailsham as an EMA Workbench model: exploratory modelling over the model's assumptions.

The EMA Workbench (https://emaworkbench.readthedocs.io) samples a model's uncertainties,
runs it at each point and analyses the outcomes (scenario discovery with PRIM, feature
scoring, Sobol indices through SALib). hailsham fits it as a plain function: each experiment
sets some of the scenario's parameters (`changes`) and returns figures.

The Workbench and its dependencies (matplotlib, seaborn, scikit-learn, statsmodels...) are too
heavy for hailsham's CI, so this example is run by hand:

    pip install hailsham ema_workbench
    python docs/hailsham_ema.py

(The file is not named ema_workbench.py, which would hide the package it imports.) Run by hand
with ema_workbench 2.5.3: 64 experiments in about 10 s; patients died waiting from 288,434 to
303,068 over them, and PRIM's box for the worst quarter.

For sweeps that must be exactly reproducible across machines, `hailsham.sweep` (with its Ray
and Dask backends) does the same with designs of its own and a resumable store.
"""

from __future__ import annotations

import hailsham

#: A world a quarter of England's size, to 1990: about a tenth of a second a run.
BASE = {"homes.population_millions": 12.0}


def hailsham_model(
    carer_share: float = 0.55,
    completion_risk_2: float = 0.15,
    rumour_belief_share: float = 0.3,
    seed: int = 1,
) -> dict:
    """One experiment: the novel with three assumptions set; two figures out."""
    changes = dict(BASE)
    changes["care.carer_share"] = carer_share
    changes["donation.completion_risk_2"] = completion_risk_2
    changes["deferral.rumour_belief_share"] = rumour_belief_share
    run = hailsham.run(
        changes=changes, seed=seed, replicates=2, until=1990, progress=False, store=False
    )
    return {
        "waiting_deaths": run.figure("waiting_deaths").mean,
        "clone_life_years_lost": run.figure("clone_life_years_lost").mean,
    }


def main() -> None:
    from ema_workbench import (
        Model,
        RealParameter,
        ScalarOutcome,
        SequentialEvaluator,
        perform_experiments,
    )
    from ema_workbench.analysis import prim

    model = Model("hailsham", function=hailsham_model)
    # The ranges of sweeps/plausible.toml, with the reasons given there.
    model.uncertainties = [
        RealParameter("carer_share", 0.4, 0.9),
        RealParameter("completion_risk_2", 0.08, 0.35),
        RealParameter("rumour_belief_share", 0.4, 0.95),
    ]
    model.outcomes = [
        ScalarOutcome("waiting_deaths"),
        ScalarOutcome("clone_life_years_lost"),
    ]
    with SequentialEvaluator(model) as evaluator:
        experiments, outcomes = perform_experiments(model, 64, evaluator=evaluator)
    deaths = outcomes["waiting_deaths"]
    print(f"{len(deaths)} experiments: patients died waiting from {deaths.min():,.0f} to {deaths.max():,.0f}")
    # Scenario discovery: where do the most deaths come from?
    worst = deaths > sorted(deaths)[int(len(deaths) * 0.75)]
    box = prim.Prim(experiments[["carer_share", "completion_risk_2", "rumour_belief_share"]], worst, threshold=0.6)
    found = box.find_box()
    print(found.box_lims[-1])


if __name__ == "__main__":
    main()
