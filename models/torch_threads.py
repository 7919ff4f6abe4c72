"""Torch thread settings for work done inside a Streamlit script thread."""

import threading

import torch


def one_torch_thread() -> None:
    """Run torch single-threaded in the calling thread: on a busy 2-core machine a thread pool only adds
    waiting for small images (two threads made four pooling levels ~7x slower).

    On this OpenMP build set_num_threads also changes the default for threads that have not used torch
    yet, so that default is restored from a short helper thread (see models/live_training.py)."""
    if torch.get_num_threads() == 1:
        return
    default = torch.get_num_threads()
    torch.set_num_threads(1)
    helper = threading.Thread(target=torch.set_num_threads, args=(default,), name="torch-threads-restore")
    helper.start()
    helper.join()
