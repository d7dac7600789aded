"""The JSON Schemas of handbook and policy files.

Editors find them from each YAML file's ``$schema`` comment; installed, this
folder is the ``policybook.schemas`` package, so a wheel carries the schemas
that ``policybook validate`` checks with.
"""
