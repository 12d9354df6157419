class InputError(Exception):
    """Bad input for an analysis (missing file or column, empty input, malformed line).

    The message is for a person: it names the file and, where there is one, the line.
    The command line prints it and exits with status 2, never with a traceback.
    """
