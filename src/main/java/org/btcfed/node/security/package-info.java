/**
 * What guards the whole actuator: the admin token (from {@code BTCFED_ADMIN_TOKEN}, or generated
 * into the data dir, owner-only) and Spring Security's filter chain, which lets health probes
 * through and answers everything else without the token with a 401 problem detail.
 * <p>
 * Depends on the root {@code DataDir} and {@code NodeProperties}, {@code config} (file
 * permissions), {@code reload.actuator} (problem details) and Spring Security.
 */
@NullMarked
package org.btcfed.node.security;

import org.jspecify.annotations.NullMarked;
