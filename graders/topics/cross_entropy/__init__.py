"""The cross_entropy topic: softmax, log-softmax, cross-entropy losses, perplexity and BCE."""
