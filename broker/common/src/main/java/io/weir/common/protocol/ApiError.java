package io.weir.common.protocol;

import io.weir.common.errors.WeirException;

/** An error code with the broker's explanation; {@link #NONE} when the call succeeded. */
public record ApiError(Errors error, String message) {
    public static final ApiError NONE = new ApiError(Errors.NONE, null);

    public static ApiError of(Throwable t) {
        return new ApiError(Errors.forException(t), t.getMessage());
    }

    public boolean isSuccess() {
        return error == Errors.NONE;
    }

    public WeirException exception() {
        return error.exception(message);
    }
}
