package io.weir.examples;

/**
 * An order as the flagship example sees it: who placed it and what it cost, in cents. On the {@code orders} topic it
 * is the text {@code customer,amountCents} ({@link OrderSerde}), keyed by the order's id.
 */
public record Order(String customer, long amountCents) {

    /**
     * @throws IllegalArgumentException if the customer is empty or holds a comma (the field separator), or the amount
     *                                  is negative
     */
    public Order {
        if (customer == null || customer.isEmpty() || customer.indexOf(',') >= 0) {
            throw new IllegalArgumentException("A customer must be non-empty and free of commas: " + customer);
        }
        if (amountCents < 0) {
            throw new IllegalArgumentException("An amount cannot be negative: " + amountCents + " cents");
        }
    }
}
