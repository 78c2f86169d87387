"""FinScribe KRX service: KRX market data through pykrx."""
