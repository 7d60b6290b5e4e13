//! The pricing problem: a bounded multi-dimensional knapsack (pods of each kind on one node shape).
//!
//! Maximise `Σ value_i · n_i` subject to `Σ req_i · n_i ≤ cap` in every resource, the limit caps
//! (overcommit), and `0 ≤ n_i ≤ ub_i`. [`greedy`] prices heuristically; [`solve`] is a
//! depth-first branch and bound with a node limit. Both report a valid upper bound on the optimum:
//! the smallest of the fractional (LP) bounds of each single constraint, which is what the
//! Lagrangian lower bound of the column generation needs when the search is cut short.
//! [`dp`] is exact when one dimension binds (textbook bin packing: CPU alone): a dynamic
//! program over that dimension's capacity, in units of the weights' greatest common divisor.

/// One kind of pod.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct KItem {
    /// The caller's identifier.
    pub(crate) id: usize,
    /// Value of one pod (positive; others are not offered).
    pub(crate) value: f64,
    /// Requests per resource dimension.
    pub(crate) req: Vec<u64>,
    /// Limits on the capped dimensions.
    pub(crate) lim: Vec<u64>,
    /// Most pods of this kind on one node.
    pub(crate) ub: u32,
}

/// A packing and what is known about the optimum.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct KResult {
    /// Counts by item id (non-zero only).
    pub(crate) counts: Vec<(usize, u32)>,
    /// Value of the packing.
    pub(crate) value: f64,
    /// An upper bound on the optimal value (equal to `value` when the search finished).
    pub(crate) upper: f64,
}

struct Problem<'a> {
    items: Vec<&'a KItem>,
    /// Constraint rows: for each dimension, (per-item weight, capacity).
    weights: Vec<Vec<u64>>,
    caps: Vec<u64>,
    /// For each dimension, item indices by value density on it, best first.
    orders: Vec<Vec<usize>>,
}

/// Items with their density orders per dimension, sorted once and shared by every node shape
/// that prices the same items at the same values (the options of one zone and purchase class).
pub(crate) struct Prepared<'a> {
    items: Vec<&'a KItem>,
    /// Per dimension (requests, then limits): indices into `items` by value density, best first.
    orders: Vec<Vec<usize>>,
    /// By value per unit of aggregate use (each dimension scaled by the items' total use of it).
    surrogate: Vec<usize>,
}

impl<'a> Prepared<'a> {
    /// Sorts the items with positive value and bound once per dimension.
    pub(crate) fn new(items: &'a [KItem]) -> Prepared<'a> {
        let items: Vec<&KItem> = items.iter().filter(|it| it.value > 0.0 && it.ub > 0).collect();
        let n_req = items.first().map_or(0, |it| it.req.len());
        let n_lim = items.first().map_or(0, |it| it.lim.len());
        let weight = |i: usize, d: usize| -> u64 {
            if d < n_req { items[i].req[d] } else { items[i].lim[d - n_req] }
        };
        let orders = (0..n_req + n_lim)
            .map(|d| {
                let density = |i: usize| {
                    let w = weight(i, d);
                    if w == 0 { f64::INFINITY } else { items[i].value / w as f64 }
                };
                let mut o: Vec<usize> = (0..items.len()).collect();
                o.sort_by(|&a, &b| density(b).total_cmp(&density(a)).then(a.cmp(&b)));
                o
            })
            .collect();
        let totals: Vec<f64> = (0..n_req + n_lim)
            .map(|d| (0..items.len()).map(|i| weight(i, d) as f64 * f64::from(items[i].ub)).sum())
            .collect();
        let use_of = |i: usize| -> f64 {
            totals
                .iter()
                .enumerate()
                .filter(|(_, t)| **t > 0.0)
                .map(|(d, t)| weight(i, d) as f64 / t)
                .sum::<f64>()
                .max(1e-12)
        };
        let mut surrogate: Vec<usize> = (0..items.len()).collect();
        surrogate.sort_by(|&a, &b| {
            (items[b].value / use_of(b)).total_cmp(&(items[a].value / use_of(a))).then(a.cmp(&b))
        });
        Prepared { items, orders, surrogate }
    }

    /// The problem for one node shape: the items that fit it once, in the shared orders.
    fn problem(&self, cap: &[u64], lim_cap: &[u64]) -> Problem<'a> {
        let fits: Vec<bool> = self
            .items
            .iter()
            .map(|it| {
                it.req.iter().zip(cap).all(|(r, c)| r <= c)
                    && it.lim.iter().zip(lim_cap).all(|(r, c)| r <= c)
            })
            .collect();
        let mut index = vec![usize::MAX; self.items.len()];
        let mut items = Vec::new();
        for (i, it) in self.items.iter().enumerate() {
            if fits[i] {
                index[i] = items.len();
                items.push(*it);
            }
        }
        let mut weights = Vec::new();
        let mut caps = Vec::new();
        let mut orders = Vec::new();
        let n_req = cap.len();
        for (d, order) in self.orders.iter().enumerate() {
            let w: Vec<u64> = items
                .iter()
                .map(|it| if d < n_req { it.req[d] } else { it.lim[d - n_req] })
                .collect();
            let cap_d = if d < n_req { cap[d] } else { lim_cap[d - n_req] };
            // A dimension that every item at its bound fits together never binds: dropping it
            // keeps the optimum and makes the bounds cheaper (the pod count, usually).
            let total: u128 =
                w.iter().zip(&items).map(|(x, it)| u128::from(*x) * u128::from(it.ub)).sum();
            if total <= u128::from(cap_d) {
                continue;
            }
            weights.push(w);
            caps.push(cap_d);
            orders.push(order.iter().filter(|&&i| fits[i]).map(|&i| index[i]).collect());
        }
        Problem { items, weights, caps, orders }
    }

    /// The shared surrogate order restricted to a problem built by [`Prepared::problem`].
    fn surrogate_for(&self, p: &Problem<'_>) -> Vec<usize> {
        let mut at = 0;
        let mut index = vec![usize::MAX; self.items.len()];
        for (i, it) in self.items.iter().enumerate() {
            if at < p.items.len() && std::ptr::eq(*it, p.items[at]) {
                index[i] = at;
                at += 1;
            }
        }
        self.surrogate.iter().filter(|&&i| index[i] != usize::MAX).map(|&i| index[i]).collect()
    }
}

fn problem<'a>(items: &'a [KItem], cap: &[u64], lim_cap: &[u64]) -> Problem<'a> {
    Prepared::new(items).problem(cap, lim_cap)
}

impl Problem<'_> {
    /// How many of item `i` fit in the remaining capacity, within its bound.
    fn room(&self, i: usize, rem: &[u64], left_ub: u32) -> u32 {
        let mut n = u64::from(left_ub);
        for (d, w) in self.weights.iter().enumerate() {
            if let Some(k) = rem[d].checked_div(w[i]) {
                n = n.min(k);
            }
        }
        n as u32
    }

    /// The fractional bound on items allowed by `allowed` with capacity `rem`: min over dimensions.
    fn bound(&self, rem: &[u64], allowed: &dyn Fn(usize) -> bool) -> f64 {
        let mut best = f64::INFINITY;
        let total: f64 = (0..self.items.len())
            .filter(|&i| allowed(i))
            .map(|i| self.items[i].value * f64::from(self.items[i].ub))
            .sum();
        best = best.min(total);
        for (d, order) in self.orders.iter().enumerate() {
            best = best.min(self.dim_bound(d, rem[d], order, allowed));
            if best <= 0.0 {
                break;
            }
        }
        best
    }

    /// The fractional bound of one dimension: items of `order` that `keep` admits, densest
    /// first, the last one cut at the remaining capacity `rem_d`.
    fn dim_bound(
        &self,
        d: usize,
        rem_d: u64,
        order: &[usize],
        keep: impl Fn(usize) -> bool,
    ) -> f64 {
        let w = &self.weights[d];
        let mut cap = rem_d as f64;
        let mut v = 0.0;
        for &i in order {
            if !keep(i) {
                continue;
            }
            let it = self.items[i];
            let ub = f64::from(it.ub);
            if w[i] == 0 {
                v += it.value * ub;
                continue;
            }
            let wi = w[i] as f64;
            if wi * ub <= cap {
                cap -= wi * ub;
                v += it.value * ub;
            } else {
                v += it.value * cap / wi;
                break;
            }
        }
        v
    }

    /// [`Problem::bound`] for the items decided at depth `k` or later of a search: their total
    /// value is `suffix_total`; a dimension whose density order is the search order starts its
    /// walk at `k` instead of skipping the decided items.
    fn bound_suffix(
        &self,
        rem: &[u64],
        k: usize,
        position: &[usize],
        suffix_total: f64,
        same_order: &[bool],
    ) -> f64 {
        let mut best = suffix_total;
        for (d, order) in self.orders.iter().enumerate() {
            let start = if same_order[d] { k } else { 0 };
            best = best.min(self.dim_bound(d, rem[d], &order[start..], |i| position[i] >= k));
            if best <= 0.0 {
                break;
            }
        }
        best
    }

    /// Surrogate density order: value per normalised resource use.
    fn surrogate_order(&self) -> Vec<usize> {
        let mut o: Vec<usize> = (0..self.items.len()).collect();
        let weight = |i: usize| -> f64 {
            self.weights
                .iter()
                .zip(&self.caps)
                .map(|(w, c)| if *c == 0 { 0.0 } else { w[i] as f64 / *c as f64 })
                .sum()
        };
        o.sort_by(|&a, &b| {
            let da = self.items[a].value / weight(a).max(1e-12);
            let db = self.items[b].value / weight(b).max(1e-12);
            db.total_cmp(&da).then(a.cmp(&b))
        });
        o
    }

    fn fill(&self, order: &[usize]) -> (Vec<u32>, f64) {
        let mut rem = self.caps.clone();
        let mut counts = vec![0u32; self.items.len()];
        let mut value = 0.0;
        for &i in order {
            let n = self.room(i, &rem, self.items[i].ub);
            if n > 0 {
                counts[i] = n;
                value += self.items[i].value * f64::from(n);
                for (d, w) in self.weights.iter().enumerate() {
                    rem[d] -= w[i] * u64::from(n);
                }
            }
        }
        (counts, value)
    }

    fn result(&self, counts: &[u32], value: f64, upper: f64) -> KResult {
        let mut c: Vec<(usize, u32)> = counts
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(i, n)| (self.items[i].id, *n))
            .collect();
        c.sort_unstable();
        KResult { counts: c, value, upper: upper.max(value) }
    }
}

/// Greedy fills in several orders; the best packing with the root upper bound.
pub(crate) fn greedy(items: &[KItem], cap: &[u64], lim_cap: &[u64]) -> KResult {
    Prepared::new(items).greedy(cap, lim_cap)
}

impl Prepared<'_> {
    /// [`greedy`] on the shared items: fills in the surrogate and per-dimension orders.
    pub(crate) fn greedy(&self, cap: &[u64], lim_cap: &[u64]) -> KResult {
        let p = self.problem(cap, lim_cap);
        if p.items.is_empty() {
            return KResult { counts: Vec::new(), value: 0.0, upper: 0.0 };
        }
        let upper = p.bound(&p.caps, &|_| true);
        let mut best = p.fill(&self.surrogate_for(&p));
        for order in &p.orders {
            let cand = p.fill(order);
            if cand.1 > best.1 + 1e-12 {
                best = cand;
            }
        }
        p.result(&best.0, best.1, upper)
    }

    /// The root upper bound alone on the shared items.
    pub(crate) fn upper_bound(&self, cap: &[u64], lim_cap: &[u64]) -> f64 {
        let p = self.problem(cap, lim_cap);
        if p.items.is_empty() {
            return 0.0;
        }
        p.bound(&p.caps, &|_| true)
    }

    /// Greedy with one pod of the item with id `forced_id` placed first; `None` when it does not fit.
    pub(crate) fn greedy_forced(
        &self,
        cap: &[u64],
        lim_cap: &[u64],
        forced_id: usize,
    ) -> Option<KResult> {
        let f = self.items.iter().find(|it| it.id == forced_id)?;
        let cap2: Vec<u64> =
            cap.iter().zip(&f.req).map(|(c, r)| c.checked_sub(*r)).collect::<Option<_>>()?;
        let lim2: Vec<u64> =
            lim_cap.iter().zip(&f.lim).map(|(c, r)| c.checked_sub(*r)).collect::<Option<_>>()?;
        let mut p = self.problem(&cap2, &lim2);
        let mut result = if p.items.is_empty() {
            KResult { counts: Vec::new(), value: 0.0, upper: 0.0 }
        } else {
            // One pod of the forced item is already placed: its bound drops by one.
            let forced_ub = f.ub - 1;
            let at = p.items.iter().position(|it| it.id == forced_id);
            let mut order = self.surrogate_for(&p);
            if let Some(k) = at
                && forced_ub == 0
            {
                order.retain(|&i| i != k);
                for o in &mut p.orders {
                    o.retain(|&i| i != k);
                }
            }
            let fill = |order: &[usize]| {
                let mut rem = p.caps.clone();
                let mut counts = vec![0u32; p.items.len()];
                let mut value = 0.0;
                for &i in order {
                    let ub = if Some(i) == at { forced_ub } else { p.items[i].ub };
                    let n = p.room(i, &rem, ub);
                    if n > 0 {
                        counts[i] = n;
                        value += p.items[i].value * f64::from(n);
                        for (d, w) in p.weights.iter().enumerate() {
                            rem[d] -= w[i] * u64::from(n);
                        }
                    }
                }
                (counts, value)
            };
            let mut best = fill(&order);
            for o in &p.orders {
                let cand = fill(o);
                if cand.1 > best.1 + 1e-12 {
                    best = cand;
                }
            }
            p.result(&best.0, best.1, best.1)
        };
        match result.counts.iter_mut().find(|(id, _)| *id == forced_id) {
            Some(e) => e.1 += 1,
            None => {
                result.counts.push((forced_id, 1));
                result.counts.sort_unstable();
            }
        }
        result.value += f.value;
        result.upper = result.value;
        Some(result)
    }
}

/// The best packing (branch and bound with `node_limit` nodes; 0 means greedy) with one pod of
/// item index `forced` (into `items`) placed first; `None` when it does not fit.
pub(crate) fn solve_forced(
    items: &[KItem],
    cap: &[u64],
    lim_cap: &[u64],
    forced: usize,
    node_limit: usize,
) -> Option<KResult> {
    with_forced(items, cap, lim_cap, forced, |rest, cap, lim| {
        Some(if node_limit == 0 {
            greedy(rest, cap, lim)
        } else {
            solve(rest, cap, lim, node_limit)
        })
    })
}

/// `pack` on what is left once one pod of item index `forced` is placed: the capacity less its
/// requests and limits, its bound less one; then that pod added to the packing. `None` when it
/// does not fit or `pack` gives nothing.
fn with_forced(
    items: &[KItem],
    cap: &[u64],
    lim_cap: &[u64],
    forced: usize,
    pack: impl FnOnce(&[KItem], &[u64], &[u64]) -> Option<KResult>,
) -> Option<KResult> {
    let f = &items[forced];
    let cap2: Vec<u64> =
        cap.iter().zip(&f.req).map(|(c, r)| c.checked_sub(*r)).collect::<Option<_>>()?;
    let lim2: Vec<u64> =
        lim_cap.iter().zip(&f.lim).map(|(c, r)| c.checked_sub(*r)).collect::<Option<_>>()?;
    let mut rest = items.to_vec();
    rest[forced].ub -= 1;
    let mut r = pack(&rest, &cap2, &lim2)?;
    match r.counts.iter_mut().find(|(id, _)| *id == f.id) {
        Some(e) => e.1 += 1,
        None => {
            r.counts.push((f.id, 1));
            r.counts.sort_unstable();
        }
    }
    r.value += f.value;
    Some(r)
}

/// The exact optimum by dynamic programming when at most one dimension binds (the others fit
/// every item at its bound together) and the table has at most `max_cells` cells; `None`
/// otherwise. Each item's bound is split into binary copies (1, 2, 4, …, the rest), so the
/// table has one row per copy and one column per capacity unit (the capacity over the gcd of
/// the weights).
pub(crate) fn dp(
    items: &[KItem],
    cap: &[u64],
    lim_cap: &[u64],
    max_cells: usize,
) -> Option<KResult> {
    let p = problem(items, cap, lim_cap);
    if p.items.is_empty() {
        return Some(KResult { counts: Vec::new(), value: 0.0, upper: 0.0 });
    }
    let counts = p.dp(max_cells)?;
    let value = counts.iter().zip(&p.items).map(|(n, it)| it.value * f64::from(*n)).sum();
    Some(p.result(&counts, value, value))
}

/// [`dp`] with one pod of item index `forced` (into `items`) placed first; `None` when it does
/// not fit or the dynamic program does not apply.
pub(crate) fn dp_forced(
    items: &[KItem],
    cap: &[u64],
    lim_cap: &[u64],
    forced: usize,
    max_cells: usize,
) -> Option<KResult> {
    let mut r =
        with_forced(items, cap, lim_cap, forced, |rest, cap, lim| dp(rest, cap, lim, max_cells))?;
    r.upper = r.value;
    Some(r)
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl Problem<'_> {
    /// The optimal counts by dynamic programming (see [`dp`]), or `None` when more than one
    /// dimension binds or the table would pass `max_cells`.
    fn dp(&self, max_cells: usize) -> Option<Vec<u32>> {
        let mut counts: Vec<u32> = vec![0; self.items.len()];
        let [w] = self.weights.as_slice() else {
            if self.weights.is_empty() {
                // Nothing binds: every item at its bound fits.
                for (n, it) in counts.iter_mut().zip(&self.items) {
                    *n = it.ub;
                }
                return Some(counts);
            }
            return None;
        };
        let unit = w.iter().fold(0, |g, &x| gcd(g, x)).max(1);
        let cap = usize::try_from(self.caps[0] / unit).ok()?;
        // Binary copies: (item, count, weight in units, value).
        let mut copies: Vec<(usize, u32, usize, f64)> = Vec::new();
        for (i, it) in self.items.iter().enumerate() {
            if w[i] == 0 {
                counts[i] = it.ub;
                continue;
            }
            let wu = usize::try_from(w[i] / unit).ok()?;
            let mut left = it.ub.min(u32::try_from(cap / wu).unwrap_or(u32::MAX));
            let mut k = 1;
            while left > 0 {
                let n = k.min(left);
                copies.push((i, n, wu * n as usize, it.value * f64::from(n)));
                left -= n;
                k = k.saturating_mul(2);
            }
        }
        let cells = copies.len().checked_mul(cap + 1)?;
        if cells > max_cells {
            return None;
        }
        // best[c]: the most value within capacity c; take[j·(cap+1) + c]: copy j is in it.
        let mut best = vec![0.0f64; cap + 1];
        let mut take = vec![false; cells];
        for (j, &(_, _, wj, vj)) in copies.iter().enumerate() {
            let row = &mut take[j * (cap + 1)..(j + 1) * (cap + 1)];
            for c in (wj..=cap).rev() {
                let with = best[c - wj] + vj;
                if with > best[c] + 1e-12 {
                    best[c] = with;
                    row[c] = true;
                }
            }
        }
        let mut c = cap;
        for (j, &(i, n, wj, _)) in copies.iter().enumerate().rev() {
            if take[j * (cap + 1) + c] {
                counts[i] += n;
                c -= wj;
            }
        }
        Some(counts)
    }
}

/// Branch and bound, depth first, with at most `node_limit` nodes; `upper` is exact when it finishes.
pub(crate) fn solve(items: &[KItem], cap: &[u64], lim_cap: &[u64], node_limit: usize) -> KResult {
    let p = problem(items, cap, lim_cap);
    if p.items.is_empty() {
        return KResult { counts: Vec::new(), value: 0.0, upper: 0.0 };
    }
    let order = p.surrogate_order();
    let root_upper = p.bound(&p.caps, &|_| true);
    let (mut best_counts, mut best_value) = p.fill(&order);
    for o in &p.orders {
        let cand = p.fill(o);
        if cand.1 > best_value {
            (best_counts, best_value) = cand;
        }
    }
    if best_value >= root_upper - 1e-9 {
        return p.result(&best_counts, best_value, best_value);
    }
    // position[i] = depth at which item i is decided.
    let mut position = vec![0usize; p.items.len()];
    for (k, &i) in order.iter().enumerate() {
        position[i] = k;
    }
    struct Search<'a, 'b> {
        p: &'a Problem<'b>,
        order: &'a [usize],
        position: &'a [usize],
        counts: Vec<u32>,
        rem: Vec<u64>,
        best_counts: Vec<u32>,
        best_value: f64,
        nodes: usize,
        limit: usize,
        /// The largest bound among subtrees left unexplored when the limit hit.
        open_upper: f64,
        /// Total value of the items decided at depth k or later, at their bounds.
        suffix: &'a [f64],
        /// Per dimension: its density order is the search order.
        same_order: &'a [bool],
    }
    impl Search<'_, '_> {
        fn go(&mut self, k: usize, value: f64) {
            if value > self.best_value + 1e-12 {
                self.best_value = value;
                self.best_counts = self.counts.clone();
            }
            if k == self.order.len() {
                return;
            }
            let bound = value
                + self.p.bound_suffix(&self.rem, k, self.position, self.suffix[k], self.same_order);
            if bound <= self.best_value + 1e-9 {
                return;
            }
            if self.nodes >= self.limit {
                self.open_upper = self.open_upper.max(bound);
                return;
            }
            self.nodes += 1;
            let i = self.order[k];
            let max = self.p.room(i, &self.rem, self.p.items[i].ub);
            for n in (0..=max).rev() {
                self.counts[i] = n;
                for (d, w) in self.p.weights.iter().enumerate() {
                    self.rem[d] -= w[i] * u64::from(n);
                }
                self.go(k + 1, value + self.p.items[i].value * f64::from(n));
                for (d, w) in self.p.weights.iter().enumerate() {
                    self.rem[d] += w[i] * u64::from(n);
                }
                self.counts[i] = 0;
            }
        }
    }
    let mut suffix = vec![0.0; order.len() + 1];
    for k in (0..order.len()).rev() {
        let it = p.items[order[k]];
        suffix[k] = suffix[k + 1] + it.value * f64::from(it.ub);
    }
    let same_order: Vec<bool> = p.orders.iter().map(|o| *o == order).collect();
    let mut s = Search {
        p: &p,
        order: &order,
        position: &position,
        suffix: &suffix,
        same_order: &same_order,
        counts: vec![0; p.items.len()],
        rem: p.caps.clone(),
        best_counts,
        best_value,
        nodes: 0,
        limit: node_limit,
        open_upper: f64::NEG_INFINITY,
    };
    s.go(0, 0.0);
    let upper = if s.open_upper.is_finite() {
        s.open_upper.min(root_upper).max(s.best_value)
    } else {
        s.best_value
    };
    p.result(&s.best_counts, s.best_value, upper)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn it(id: usize, value: f64, req: &[u64], ub: u32) -> KItem {
        KItem { id, value, req: req.to_vec(), lim: Vec::new(), ub }
    }

    /// Brute force over all count vectors (tiny instances only).
    fn brute(items: &[KItem], cap: &[u64]) -> f64 {
        fn rec(
            items: &[KItem],
            cap: &[u64],
            k: usize,
            used: &mut Vec<u64>,
            v: f64,
            best: &mut f64,
        ) {
            if k == items.len() {
                *best = best.max(v);
                return;
            }
            for n in 0..=items[k].ub {
                let fits = items[k]
                    .req
                    .iter()
                    .zip(cap)
                    .zip(used.iter())
                    .all(|((r, c), u)| u + r * u64::from(n) <= *c);
                if !fits {
                    break;
                }
                for (u, r) in used.iter_mut().zip(&items[k].req) {
                    *u += r * u64::from(n);
                }
                rec(items, cap, k + 1, used, v + items[k].value * f64::from(n), best);
                for (u, r) in used.iter_mut().zip(&items[k].req) {
                    *u -= r * u64::from(n);
                }
            }
        }
        let mut best = 0.0;
        rec(items, cap, 0, &mut vec![0; cap.len()], 0.0, &mut best);
        best
    }

    #[test]
    fn branch_and_bound_matches_brute_force_on_small_2d_instances() {
        let mut seed = 7u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..200 {
            let n = (next() % 5 + 1) as usize;
            let items: Vec<KItem> = (0..n)
                .map(|i| {
                    it(
                        i,
                        (next() % 100 + 1) as f64 / 10.0,
                        &[next() % 40 + 1, next() % 40 + 1],
                        (next() % 4 + 1) as u32,
                    )
                })
                .collect();
            let cap = [next() % 100 + 20, next() % 100 + 20];
            let exact = solve(&items, &cap, &[], 1_000_000);
            let b = brute(&items, &cap);
            assert!((exact.value - b).abs() < 1e-9, "{items:?} {cap:?}: {} vs {b}", exact.value);
            assert!((exact.upper - exact.value).abs() < 1e-9);
            let g = greedy(&items, &cap, &[]);
            assert!(g.value <= b + 1e-9 && g.upper >= b - 1e-9);
            // The packing is feasible.
            for (d, c) in cap.iter().enumerate() {
                let used: u64 =
                    exact.counts.iter().map(|(i, n)| items[*i].req[d] * u64::from(*n)).sum();
                assert!(used <= *c);
            }
        }
    }

    #[test]
    fn dynamic_program_matches_brute_force_when_one_dimension_binds() {
        let mut seed = 11u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut applied = 0;
        for _ in 0..300 {
            let n = (next() % 6 + 1) as usize;
            // The second dimension never binds (every item at its bound fits it) unless its
            // capacity is drawn small: then the dynamic program must refuse.
            let items: Vec<KItem> = (0..n)
                .map(|i| {
                    it(
                        i,
                        (next() % 100 + 1) as f64 / 10.0,
                        &[(next() % 20 + 1) * 5, next() % 3],
                        (next() % 5 + 1) as u32,
                    )
                })
                .collect();
            let cap = [next() % 200 + 20, if next() % 4 == 0 { 4 } else { 1_000 }];
            let b = brute(&items, &cap);
            match dp(&items, &cap, &[], 1_000_000) {
                Some(r) => {
                    applied += 1;
                    assert!((r.value - b).abs() < 1e-9, "{items:?} {cap:?}: {} vs {b}", r.value);
                    assert_eq!(r.upper, r.value);
                    for (d, c) in cap.iter().enumerate() {
                        let used: u64 =
                            r.counts.iter().map(|(i, n)| items[*i].req[d] * u64::from(*n)).sum();
                        assert!(used <= *c, "{items:?} {cap:?}: {r:?}");
                    }
                    for (i, n) in &r.counts {
                        assert!(*n <= items[*i].ub);
                    }
                }
                None => {
                    let total: u64 = items.iter().map(|x| x.req[1] * u64::from(x.ub)).sum();
                    assert!(total > cap[1], "refused a one-dimension problem: {items:?} {cap:?}");
                }
            }
        }
        assert!(applied > 150, "the dynamic program applied to {applied} of 300");
    }

    #[test]
    fn dynamic_program_keeps_to_its_table_budget_and_forces_an_item() {
        let items = vec![it(0, 3.0, &[300], 2), it(1, 2.0, &[200], 3), it(2, 1.0, &[100], 9)];
        // Capacity 1000 in units of 100 is 10 columns; 2 + 2 + 4 binary copies are 8 rows.
        assert!(dp(&items, &[1000], &[], 87).is_none());
        let r = dp(&items, &[1000], &[], 88).expect("88 cells fit the table");
        assert!((r.value - 10.0).abs() < 1e-9, "{r:?}");
        let f = dp_forced(&items, &[1000], &[], 0, 88).expect("item 0 fits");
        assert!(f.counts.iter().any(|(i, n)| *i == 0 && *n >= 1));
        assert!((f.value - brute(&items, &[1000])).abs() < 1e-9, "{f:?}");
        let g = dp_forced(&[it(0, 1.0, &[300], 1)], &[200], &[], 0, 1000);
        assert!(g.is_none(), "an item that does not fit cannot be forced in");
    }

    #[test]
    fn node_limit_keeps_a_valid_upper_bound() {
        let items: Vec<KItem> = (0..30)
            .map(|i| {
                it(i, 1.0 + (i % 7) as f64 * 0.13, &[10 + i as u64 % 9, 7 + (i as u64 * 3) % 11], 3)
            })
            .collect();
        let cap = [200, 180];
        let full = solve(&items, &cap, &[], 10_000_000);
        let cut = solve(&items, &cap, &[], 50);
        assert!(cut.value <= full.value + 1e-9);
        assert!(cut.upper >= full.value - 1e-9);
    }
}
