"""Small features' own logic, apart from the views that show them: the quiz's scoring, the
shortlist cookie, the charts and the files people take away."""
