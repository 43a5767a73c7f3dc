// A trainer-style loop over gRPC with Go stubs generated from the environment's protos (see
// ../build.sh): for every task level it plays episodes with a simple policy, streams the
// episode's log lines with StreamLogs in a goroutine while it steps, and prints each score.
//
//	examples/go/build.sh && examples/go/.work/bin/trainer -addr 127.0.0.1:7860 -episodes 2
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"

	pb "incidentenv/gen/incidentv1"
)

// simplePolicy inspects the paging service, follows the failing dependency downstream, diagnoses
// the last service whose own calls are healthy, then writes a short runbook or postmortem.
type simplePolicy struct {
	inspected []string
	suspect   string
	wrote     bool
}

func (p *simplePolicy) act(obs *pb.Observation) *pb.Action {
	if p.suspect == "" {
		var next string
		if obs.GetInspection() == nil {
			if s := obs.GetAlert().GetAffectedServices(); len(s) > 0 {
				next = s[0]
			}
		} else {
			deps := append([]*pb.DependencyReading(nil), obs.GetInspection().GetDependencies()...)
			sort.Slice(deps, func(i, j int) bool { return deps[i].GetErrorRate() > deps[j].GetErrorRate() })
			if len(deps) > 0 && deps[0].GetErrorRate() > 5 && !contains(p.inspected, deps[0].GetCallee()) {
				next = deps[0].GetCallee()
			}
		}
		if next != "" && len(p.inspected) < 4 {
			p.inspected = append(p.inspected, next)
			return &pb.Action{ActionType: pb.ActionType_ACTION_TYPE_INSPECT, TargetService: proto.String(next), Reasoning: "follow the errors"}
		}
		p.suspect = "unknown"
		if n := len(p.inspected); n > 0 {
			p.suspect = p.inspected[n-1]
		}
		return &pb.Action{ActionType: pb.ActionType_ACTION_TYPE_DIAGNOSE, TargetService: proto.String(p.suspect), Reasoning: "its own calls are healthy"}
	}
	if obs.GetTaskLevel() == pb.TaskLevel_TASK_LEVEL_MEDIUM && !p.wrote {
		p.wrote = true
		return &pb.Action{
			ActionType:    pb.ActionType_ACTION_TYPE_WRITE_RUNBOOK,
			TargetService: proto.String(p.suspect),
			RunbookSteps: []string{
				"Check the error logs and metrics of " + p.suspect + ".",
				"Mitigate the failure on " + p.suspect + ".",
				"Verify that the error rate drops back to baseline.",
				"Escalate to the owning team if it does not recover.",
			},
		}
	}
	if obs.GetTaskLevel() == pb.TaskLevel_TASK_LEVEL_HARD && !p.wrote {
		p.wrote = true
		return &pb.Action{
			ActionType:         pb.ActionType_ACTION_TYPE_WRITE_POSTMORTEM,
			TargetService:      proto.String(p.suspect),
			SeverityAssessment: pb.Severity_SEVERITY_P2.Enum(),
			PostmortemSections: &pb.PostmortemSections{
				Summary:     p.suspect + " failed and its callers returned errors.",
				RootCause:   "The failure started in " + p.suspect + ".",
				Timeline:    "The alert fired and on-call was paged.",
				Impact:      strings.Join(obs.GetAlert().GetAffectedServices(), ", ") + " returned errors.",
				ActionItems: "Add alerting on the failing dependency.",
			},
		}
	}
	return &pb.Action{ActionType: pb.ActionType_ACTION_TYPE_RESOLVE, Reasoning: "done"}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

type result struct {
	score    float64
	steps    int
	done     bool
	streamed int
	status   string
}

func play(client pb.IncidentEnvServiceClient, level pb.TaskLevel, seed uint32, episodeID string) (result, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	reset, err := client.Reset(ctx, &pb.ResetRequest{TaskLevel: level.Enum(), Seed: proto.Uint32(seed), EpisodeId: proto.String(episodeID)})
	if err != nil {
		return result{}, fmt.Errorf("reset: %w", err)
	}
	// Follow the episode's log lines while stepping; the stream ends with the episode.
	streamed := make(chan int, 1)
	go func() {
		n := 0
		defer func() { streamed <- n }()
		stream, err := client.StreamLogs(ctx, &pb.StreamLogsRequest{EpisodeId: proto.String(episodeID)})
		if err != nil {
			return
		}
		for {
			if _, err := stream.Recv(); err != nil {
				if err != io.EOF {
					fmt.Fprintln(os.Stderr, "stream:", err)
				}
				return
			}
			n++
		}
	}()
	policy := &simplePolicy{}
	obs := reset.GetObservation()
	res := result{}
	for !res.done {
		step, err := client.Step(ctx, &pb.StepRequest{EpisodeId: proto.String(episodeID), Action: policy.act(obs)})
		if err != nil {
			return res, fmt.Errorf("step %d: %w", res.steps+1, err)
		}
		obs, res.done = step.GetObservation(), step.GetDone()
		res.steps++
	}
	select {
	case res.streamed = <-streamed:
	case <-time.After(15 * time.Second):
	}
	state, err := client.GetState(ctx, &pb.GetStateRequest{EpisodeId: proto.String(episodeID)})
	if err != nil {
		return res, fmt.Errorf("state: %w", err)
	}
	res.score = state.GetState().GetTotalReward()
	res.status = strings.ToLower(strings.TrimPrefix(state.GetState().GetStatus().String(), "EPISODE_STATUS_"))
	_, _ = client.CloseEpisode(ctx, &pb.CloseEpisodeRequest{EpisodeId: proto.String(episodeID)})
	return res, nil
}

func main() {
	addr := flag.String("addr", "127.0.0.1:7860", "host:port of the environment (gRPC over h2c)")
	episodes := flag.Int("episodes", 1, "episodes per task level")
	firstSeed := flag.Uint("seed", 7, "first seed")
	flag.Parse()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	conn, err := grpc.DialContext(ctx, *addr, grpc.WithInsecure(), grpc.WithBlock())
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "cannot reach", *addr, ":", err)
		os.Exit(2)
	}
	defer conn.Close()
	client := pb.NewIncidentEnvServiceClient(conn)
	health, err := client.Health(context.Background(), &pb.HealthRequest{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "health:", err)
		os.Exit(2)
	}
	fmt.Printf("connected to %s %s over gRPC\n", health.GetEnvironment(), health.GetVersion())

	failures := 0
	levels := []struct {
		name  string
		level pb.TaskLevel
	}{{"easy", pb.TaskLevel_TASK_LEVEL_EASY}, {"medium", pb.TaskLevel_TASK_LEVEL_MEDIUM}, {"hard", pb.TaskLevel_TASK_LEVEL_HARD}}
	for _, l := range levels {
		sum := 0.0
		for i := 0; i < *episodes; i++ {
			seed := uint32(*firstSeed) + uint32(i)
			res, err := play(client, l.level, seed, fmt.Sprintf("go-%s-%d-%d", l.name, os.Getpid(), i))
			if err != nil {
				fmt.Fprintln(os.Stderr, l.name, "seed", seed, ":", err)
				failures++
				continue
			}
			if !res.done || res.streamed == 0 {
				failures++
			}
			sum += res.score
			fmt.Printf("%s seed=%d score=%.3f steps=%d status=%s streamed_log_lines=%d\n", l.name, seed, res.score, res.steps, res.status, res.streamed)
		}
		fmt.Printf("%s mean_score=%.3f episodes=%d\n", l.name, sum/float64(*episodes), *episodes)
	}
	if failures > 0 {
		os.Exit(1)
	}
}
