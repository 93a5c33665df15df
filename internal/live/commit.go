package live

import (
	"context"
	"sync"
	"time"

	"github.com/muster-police/muster/training"
)

// committer writes concurrent completion posts in shared store
// transactions (group commit): while one batch is being written, the
// posts that arrive queue up, and the next batch takes them all. A batch
// costs one bbolt fsync or one Redis script, so throughput grows with the
// number of clients instead of being one commit per post; and completions
// never clash with each other, so no post fails for being concurrent.
type committer struct {
	m     *Model
	mu    sync.Mutex
	queue []*post
	busy  bool
}

// Post writes comps, adding them to the history entry group, in the next
// shared transaction with whatever other posts are waiting (group
// commit), and returns once they are durable and in the figures, with the
// store's revision.
func (m *Model) Post(comps []training.Completion, group training.ImportRecord) (int64, error) {
	p := &post{comps: comps, group: group}
	m.commits.submit(p)
	return p.rev, p.err
}

// post is one API call waiting for its batch.
type post struct {
	comps []training.Completion
	group training.ImportRecord // the history entry it adds to
	done  chan struct{}
	rev   int64
	err   error
}

// maxBatch bounds the completions of one batch (a post is never split).
const maxBatch = 5000

// commitTimeout bounds one batch's write: it does not depend on any one
// poster's request, which may go away meanwhile.
const commitTimeout = 30 * time.Second

// submit queues p and returns once its batch is durable in the store
// (and applied to this replica's figures), or failed.
func (c *committer) submit(p *post) {
	p.done = make(chan struct{})
	c.mu.Lock()
	c.queue = append(c.queue, p)
	if c.busy {
		c.mu.Unlock()
		<-p.done
		return
	}
	c.busy = true
	c.mu.Unlock()
	c.drain()
	<-p.done
}

// drain writes batches until the queue is empty.
func (c *committer) drain() {
	for {
		c.mu.Lock()
		n, size := 0, 0
		for n < len(c.queue) && (n == 0 || size+len(c.queue[n].comps) <= maxBatch) {
			size += len(c.queue[n].comps)
			n++
		}
		batch := c.queue[:n:n]
		c.queue = c.queue[n:]
		if n == 0 {
			c.busy = false
			c.mu.Unlock()
			return
		}
		c.mu.Unlock()
		c.write(batch)
	}
}

func (c *committer) write(batch []*post) {
	var b training.CompletionBatch
	groups := map[string]int{}
	for _, p := range batch {
		b.Completions = append(b.Completions, p.comps...)
		if i, ok := groups[p.group.ID]; ok {
			b.Imports[i] = training.MergeImportCounts(b.Imports[i], p.group)
			continue
		}
		groups[p.group.ID] = len(b.Imports)
		b.Imports = append(b.Imports, p.group)
	}
	ctx, cancel := context.WithTimeout(context.Background(), commitTimeout)
	defer cancel()
	rev, err := c.m.store.AddCompletions(ctx, b)
	if err == nil {
		if aerr := c.m.applyOwn(ctx, training.Change{Revision: rev, Completions: b.Completions}); aerr != nil {
			c.m.log.Warn("live figures: applying a batch of completions failed", "err", aerr)
		}
		if c.m.onCommit != nil {
			c.m.onCommit(len(batch))
		}
	}
	for _, p := range batch {
		p.rev, p.err = rev, err
		close(p.done)
	}
}
