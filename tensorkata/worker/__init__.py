"""The untrusted side: code that runs inside a worker process next to the submission.

Nothing here may import the judge (`graders`), the oracle (`reference`) or `solutions/`.
"""
