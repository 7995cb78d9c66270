"""gunicorn settings, read from the working directory: the Procfile's `web` process and the benchmarks in bench/."""
import gc


def post_worker_init(worker):
    """Take what the app built at start-up (modules, mappers, catalogues, the address lists: about 190,000
    objects) out of the garbage collector's view. Otherwise every full collection walks all of them again; on
    the queue page that cost about a tenth of the worker's CPU, paid in spikes by whichever request was running."""
    gc.collect()
    gc.freeze()
