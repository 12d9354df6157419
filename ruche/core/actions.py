"""Write helpers shared by every app's actions."""


def save_fields(instance, allowed: set[str], fields: dict):
    """Set `fields` on `instance` and save only them (plus updated_at).

    Refuses names outside `allowed`, so an action cannot be used to change what it was not
    written for (a status, an owner…). Call inside the action's transaction.
    """
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Cannot update {sorted(unknown)} on {type(instance).__name__}")
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.save(update_fields=[*fields, "updated_at"])
    return instance
