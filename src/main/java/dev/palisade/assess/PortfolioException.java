package dev.palisade.assess;

/** A portfolio file that cannot be used, with a message saying where and why. */
public final class PortfolioException extends Exception {
    private static final long serialVersionUID = 1L;

    public PortfolioException(String message) {
        super(message);
    }
}
