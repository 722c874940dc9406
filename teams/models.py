"""People and bodies: wijk- en dorpenteams, kernteams, initiatiefgroepen, stuurgroep.

The models arrive with the people issue.
"""
