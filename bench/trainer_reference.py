#!/usr/bin/env python3
"""PyTorch reference for `bench trainer`: the same REINFORCE update the trainer runs, written directly in PyTorch.

Same network (two towers: user MLP input->hidden->ReLU->embedding; items = catalog embeddings times a
learned projection, plus a per-item bias; logits = user . items^T + bias), same loss (off-policy
REINFORCE with Plackett-Luce per-slot conditionals, capped and self-normalised importance weights, the
top-K correction, a learned per-slot linear baseline, an entropy bonus: Grains/Training/PlackettLuceReinforceLoss.cs;
the exact softmax over the catalog, or with --sampled-items S the sampled softmax of Grains/Training/SampledSoftmax.cs),
same optimiser (Adam, lr 0.01), same rows, epochs and minibatches (a fresh shuffle per epoch, rows
picked with index_select). Data are random with the same shapes (timing does not depend on values).

Prints one JSON line: {"samplesPerSecond": ..., "device": ..., "torch": ..., "threads": ...}, where
samplesPerSecond = rows / seconds per update (an update = `epochs` passes over the rows), the
definition summary.json's training.samplesPerSecond uses.
"""
import argparse
import json
import math
import time

import torch
import torch.nn.functional as F


class Policy(torch.nn.Module):
    def __init__(self, inputs, hidden, embedding, items, item_dim, slots, item_features):
        super().__init__()
        self.hidden = torch.nn.Linear(inputs, hidden)
        self.user_out = torch.nn.Linear(hidden, embedding)
        self.item_projection = torch.nn.Linear(item_dim, embedding, bias=False)
        self.item_bias = torch.nn.Parameter(torch.zeros(items))
        self.baseline = torch.nn.Linear(inputs, slots)
        torch.nn.init.zeros_(self.baseline.weight)
        torch.nn.init.zeros_(self.baseline.bias)
        self.register_buffer("item_features", item_features)

    def forward(self, x):
        user = self.user_out(F.relu(self.hidden(x)))
        items = self.item_projection(self.item_features)
        return user @ items.t() + self.item_bias, self.baseline(x)

    def sampled(self, x, actions, drawn):
        """Slate logits [B, K] and the logits of the drawn items [B, S] only (the sampled softmax)."""
        user = self.user_out(F.relu(self.hidden(x)))
        flat = actions.reshape(-1)
        # index_select as the trainer does (its backward is an index_add, not advanced indexing's sort).
        vectors = self.item_projection(self.item_features.index_select(0, flat)).view(actions.shape[0], actions.shape[1], -1)
        slate = (vectors * user.unsqueeze(1)).sum(2) + self.item_bias.index_select(0, flat).view_as(actions).float()
        other = user @ self.item_projection(self.item_features.index_select(0, drawn)).t() + self.item_bias.index_select(0, drawn)
        return slate, other, self.baseline(x)


def sampled_log_weights(actions, drawn, items):
    """ln((N - K) / S_b) per drawn item of each row, -inf for a drawn item in the row's slate (Grains/Training/SampledSoftmax.cs)."""
    hit = (actions.unsqueeze(2) == drawn.view(1, 1, -1)).any(1)
    kept = (~hit).float().sum(1, keepdim=True).clamp_min(1)
    weight = ((items - actions.shape[1]) / kept).log().expand_as(hit)
    return torch.where(hit, torch.full_like(weight, -math.inf), weight)


def loss_fn(slate, other, other_log_weight, baseline, propensities, rewards, cap, entropy_weight):
    """other_log_weight None: `other` is the whole catalog's log probabilities (the exact softmax, from log_softmax)."""
    if other_log_weight is None:
        first, rest = slate, other
    else:
        log_z = torch.cat([slate, other + other_log_weight], 1).logsumexp(1, keepdim=True)
        first, rest = slate - log_z, other - log_z
    p = first.exp()
    earlier = p.cumsum(1) - p
    conditional = first - (1 - earlier).clamp_min(1e-6).log()
    with torch.no_grad():
        w = torch.clamp(conditional.exp() / propensities.clamp_min(1e-6), max=cap)
        w = w / w.mean().clamp_min(1e-12)
        advantage = rewards - baseline
        k = slate.shape[1]
        w = w * k * (1 - p).pow(k - 1)  # the top-K correction (topKCorrection: 1, the default)
    policy = -(w * advantage * conditional).mean()
    if other_log_weight is None:
        entropy = -(rest.exp() * rest).sum(1).mean()
    else:
        entropy = -((first.exp() * first).sum(1) + (other_log_weight.exp() * rest.exp() * rest).sum(1)).mean()
    value = (baseline - rewards).square().mean()
    return policy - entropy_weight * entropy + value


def main():
    a = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    a.add_argument("--rows", type=int, default=20000)
    a.add_argument("--items", type=int, default=3000)
    a.add_argument("--item-dim", type=int, default=16)
    a.add_argument("--inputs", type=int, default=22)
    a.add_argument("--hidden", type=int, default=256)
    a.add_argument("--embedding", type=int, default=64)
    a.add_argument("--slots", type=int, default=5)
    a.add_argument("--epochs", type=int, default=2)
    a.add_argument("--minibatch", type=int, default=4096)
    a.add_argument("--repeat", type=int, default=5)
    a.add_argument("--device", default="cpu")
    a.add_argument("--threads", type=int, default=0)
    a.add_argument("--sampled-items", type=int, default=0, help="0: exact softmax over the catalog")
    o = a.parse_args()
    if o.threads > 0:
        torch.set_num_threads(o.threads)
    device = torch.device(o.device)
    g = torch.Generator().manual_seed(42)
    item_features = torch.randn(o.items, o.item_dim, generator=g)
    model = Policy(o.inputs, o.hidden, o.embedding, o.items, o.item_dim, o.slots, item_features).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)

    def batch():
        x = torch.rand(o.rows, o.inputs, generator=g)
        actions = torch.stack([torch.randperm(o.items, generator=g)[: o.slots] for _ in range(o.rows)])
        propensities = torch.tensor([1.0 / (o.items - k) for k in range(o.slots)]).repeat(o.rows, 1)
        rewards = torch.zeros(o.rows, o.slots)
        clicked = torch.randint(-3 * o.slots, o.slots, (o.rows,), generator=g)
        rows = (clicked >= 0).nonzero().squeeze(1)
        rewards[rows, clicked[rows]] = 1
        return x, actions, propensities, rewards

    data = batch()

    def update():
        # As the trainer: the round's rows go to the device, then `epochs` shuffled passes of minibatch steps.
        x, a_, p, r = (t.to(device) for t in data)
        total = torch.zeros((), device=device)
        for _ in range(o.epochs):
            order = torch.randperm(o.rows, device=device)
            for start in range(0, o.rows, o.minibatch):
                idx = order[start:start + o.minibatch]
                optimizer.zero_grad()
                actions = a_.index_select(0, idx)
                if 0 < o.sampled_items < o.items:
                    drawn = torch.randperm(o.items, device=device)[: o.sampled_items]
                    slate, other, baseline = model.sampled(x.index_select(0, idx), actions, drawn)
                    weight = sampled_log_weights(actions, drawn, o.items)
                else:
                    logits, baseline = model(x.index_select(0, idx))
                    logp = F.log_softmax(logits, 1)
                    slate, other, weight = logp.gather(1, actions), logp, None
                loss = loss_fn(slate, other, weight, baseline[:, : o.slots], p.index_select(0, idx), r.index_select(0, idx), 10.0, 0.001)
                loss.backward()
                optimizer.step()
                total += loss.detach()
        return total.item()

    update()  # warm-up, untimed
    times = []
    for _ in range(o.repeat):
        if device.type == "cuda":
            torch.cuda.synchronize()
        started = time.perf_counter()
        loss = update()
        if device.type == "cuda":
            torch.cuda.synchronize()
        times.append(time.perf_counter() - started)
        if not math.isfinite(loss):
            raise SystemExit("reference: the loss is not finite")
    times.sort()
    median = times[len(times) // 2]
    print(json.dumps({"samplesPerSecond": o.rows / median, "device": device.type, "torch": torch.__version__,
                      "threads": torch.get_num_threads(), "secondsPerUpdate": median}))


if __name__ == "__main__":
    main()
