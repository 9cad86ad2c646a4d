"""The cases service: wage-arrears cases from intake to closure, across units."""
