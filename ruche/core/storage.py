from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's hashed, compressed storage, also rewriting ES module imports.

    Our live pages are small ES modules importing ruche/live.js; without this the imports
    would point at the unhashed file and escape cache-busting.
    """

    support_js_module_import_aggregation = True
